#!/usr/bin/env node
// Entry point of `etl`: read the configuration once, wire it to services, run the command, map errors to exit codes.
// Only commander and the command definitions load up front: configuration (zod), database drivers, readers
// and the engine are imported when a command needs them, so `etl --help` starts fast.
import { setTimeout as sleep } from 'node:timers/promises';
import { CommanderError } from 'commander';
import { describeError } from '../graph/errors.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { maskText } from '../secrets/mask.js';
import type { CliContext } from './context.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { createProgram } from './program.js';

async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  let runtime: EtlRuntime | undefined;
  const warn = (message: string): void => void process.stderr.write(`warning: ${message}\n`);
  const notice = (message: string): void => void process.stderr.write(`${message}\n`);
  const rt = (): EtlRuntime => {
    if (runtime === undefined) throw new TypeError('etl: the configuration is read before a command runs');
    return runtime;
  };
  const ctx: CliContext = { runtime: rt, stdout: process.stdout, stderr: process.stderr, setExitCode: (code) => (exitCode = code) };
  const program = createProgram(ctx);
  program.hook('preAction', async (command, action) => {
    if (action.name() === 'init') return; // writes files only: it needs no configuration (nor a valid one in cwd)
    const explicit = (command.optsWithGlobals() as { config?: string }).config;
    // Long-running holders of the embedded database serve it to the other commands (and Grafana) meanwhile.
    const shareEmbedded = ['scheduler', 'collect', 'ui'].includes(action.name());
    const [{ loadConfig }, { createRuntime }] = await Promise.all([import('../config/index.js'), import('../runtime/runtime.js')]);
    runtime = createRuntime(loadConfig({ explicit, env: process.env, cwd: process.cwd() }), { warn, notice, shareEmbedded });
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`etl: ${maskText(describeError(error))}\n`);
    return exitCodeFor(error);
  } finally {
    await runtime?.close();
  }
}

// `etl ... | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

/** Waits until what was written to `stream` has reached the OS (pipes are asynchronous), within a bound. */
async function drained(stream: NodeJS.WriteStream, ms: number): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return;
  // The callback of a write runs once it is flushed, after every earlier write.
  await Promise.race([new Promise<void>((resolve) => stream.write('', () => resolve())), sleep(ms, undefined, { ref: false })]);
}

// Exit as soon as the command is done and its output is out: sockets left to a hung server (closed above
// within a bound) must not keep a finished command waiting.
const code = await main(process.argv.slice(2));
await Promise.all([drained(process.stdout, 60_000), drained(process.stderr, 5_000)]);
process.exit(code);
