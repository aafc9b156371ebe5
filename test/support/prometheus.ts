// Test helper: a real Prometheus on a free loopback port, loaded with OpenMetrics history, stopped by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TestPrometheus {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory. */
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** OpenMetrics text imported with promtool before the start (see openMetrics()). */
  readonly history?: string;
  /** Milliseconds to wait for /-/ready (default 20 s). */
  readonly readyTimeoutMs?: number;
  /** Paths of the binaries (default: found on PATH). */
  readonly prometheusBinary?: string;
  readonly promtoolBinary?: string;
}

/** One sample: instant in epoch ms and value. */
export type Sample = readonly [at: number, value: number];

export interface Series {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly samples: readonly Sample[];
}

/** Finds an executable on PATH (then in /usr/bin); undefined when missing. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'].filter((d) => d !== '');
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function requireExecutable(name: string, given?: string): string {
  let path = given;
  if (path !== undefined) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      path = undefined;
    }
  } else path = findExecutable(name);
  if (path === undefined) {
    throw new Error(`test/support/prometheus: '${given ?? name}' not found${given === undefined ? ' on PATH' : ''}: install the Debian package 'prometheus' (apt-get install -y prometheus, or run test/setup-machine.sh)`);
  }
  return path;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * OpenMetrics text for counters or gauges: one `# TYPE` per metric name, samples ascending in time,
 * timestamps in SECONDS, ending with `# EOF` (promtool's requirements).
 */
export function openMetrics(series: readonly Series[], type: 'counter' | 'gauge' = 'gauge'): string {
  const byName = new Map<string, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, list] of byName) {
    // OpenMetrics counters are declared without the _total suffix their samples carry.
    const family = type === 'counter' ? name.replace(/_total$/, '') : name;
    lines.push(`# TYPE ${family} ${type}`);
    for (const s of list) {
      const labels = Object.entries(s.labels ?? {}).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      const selector = labels.length > 0 ? `${s.name}{${labels.join(',')}}` : s.name;
      const samples = [...s.samples].sort((a, b) => a[0] - b[0]);
      for (const [at, value] of samples) lines.push(`${selector} ${String(value)} ${at / 1000}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`test/support/prometheus: prometheus exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stderr().slice(-2000)}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`test/support/prometheus: not ready at ${url} after ${timeoutMs} ms:\n${stderr().slice(-2000)}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts Prometheus with `scrape_configs: []`, its own temp data dir and a 10-year retention, after
 * importing `history` with `promtool tsdb create-blocks-from openmetrics`. Fails clearly when the binaries
 * are missing, when promtool rejects the history, or when the server does not become ready.
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<TestPrometheus> {
  const prometheus = requireExecutable('prometheus', options.prometheusBinary);
  const promtool = requireExecutable('promtool', options.promtoolBinary);
  const dir = await mkdtemp(join(tmpdir(), 'etl-prometheus-'));
  const dataDir = join(dir, 'data');
  const config = join(dir, 'prometheus.yml');
  try {
    await writeFile(config, 'global:\n  evaluation_interval: 1h\nscrape_configs: []\n');
    if (options.history !== undefined) {
      const file = join(dir, 'history.om');
      await writeFile(file, options.history);
      const res = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], { encoding: 'utf8' });
      if (res.status !== 0) {
        throw new Error(`test/support/prometheus: promtool could not import the history (exit ${res.status}): ${(res.stderr || res.stdout || String(res.error)).slice(-2000)}`);
      }
    }
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = spawn(
        prometheus,
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${dataDir}`,
          `--storage.tsdb.retention.time=3650d`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-20_000);
      });
      try {
        await waitReady(url, child, () => stderr, options.readyTimeoutMs ?? 20_000);
      } catch (error) {
        await stopChild(child);
        // Another process may have taken the port between freePort() and the bind: try another one.
        if (attempt < 3 && /address already in use/i.test(stderr)) continue;
        throw error;
      }
      const pid = child.pid!;
      return {
        url,
        port,
        pid,
        dataDir,
        async stop() {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
