// Test support: processes started as a user would (the compiled `etl`, a helper script), with their output,
// exit code and timing; a background one is killed when its test ends, or after a bound.
import { spawn, spawnSync } from 'node:child_process';
import { onTestFinished } from 'vitest';

export interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit, ms. */
  readonly ms: number;
  /** Date.now() when the process had exited. */
  readonly exitedAt: number;
}

export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Killed (SIGKILL) after this long, ms (default: the runner's). */
  readonly killAfterMs?: number;
}

export interface Running {
  readonly pid: number;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: () => boolean;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly done: Promise<Outcome>;
}

/** This machine's environment without etl's own variables (nor E2E_*, DATABASE_URL, REDIS_URL): each test sets those it means. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('ETL_') && !key.startsWith('E2E_') && key !== 'DATABASE_URL' && key !== 'REDIS_URL') env[key] = value;
  }
  return { ...env, ...extra };
}

export interface ProcessRunner {
  /** Runs to its end, blocking this process (for commands nothing in this process serves). */
  runSync(command: string, args: readonly string[], options?: RunOptions): Outcome;
  /** Starts in the background; killed when the test ends, or after `killAfterMs`. */
  start(command: string, args: readonly string[], options?: RunOptions): Running;
}

/** A runner whose processes start in `cwd()` (unless told) and are killed after `killAfterMs` (unless told). */
export function processRunner(defaults: { readonly cwd: () => string; readonly killAfterMs: number }): ProcessRunner {
  return {
    runSync(command, args, options = {}) {
      const started = Date.now();
      const result = spawnSync(command, args, {
        encoding: 'utf8',
        cwd: options.cwd ?? defaults.cwd(),
        env: cleanEnv(options.env),
        timeout: options.killAfterMs ?? defaults.killAfterMs,
        killSignal: 'SIGKILL',
      });
      const exitedAt = Date.now();
      return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, ms: exitedAt - started, exitedAt };
    },
    start(command, args, options = {}) {
      const started = Date.now();
      const child = spawn(command, args, { cwd: options.cwd ?? defaults.cwd(), env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let exited = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? defaults.killAfterMs);
      const done = new Promise<Outcome>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => {
          exited = true;
          clearTimeout(killer);
          const exitedAt = Date.now();
          resolve({ code, signal, stdout, stderr, ms: exitedAt - started, exitedAt });
        });
      });
      onTestFinished(async () => {
        if (!exited) child.kill('SIGKILL');
        await done.catch(() => undefined);
      });
      if (child.pid === undefined) throw new Error(`could not start ${command}`);
      return { pid: child.pid, stdout: () => stdout, stderr: () => stderr, exited: () => exited, kill: (signal) => void child.kill(signal), done };
    },
  };
}
