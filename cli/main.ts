#!/usr/bin/env node
// Entry point of `etl`: read the configuration once, wire it to services, run the command, map errors to exit codes.
// Only commander and the command definitions load up front: configuration (zod), database drivers, readers
// and the engine are imported when a command needs them, so `etl --help` starts fast.
import { setTimeout as sleep } from 'node:timers/promises';
import { CommanderError } from 'commander';
import type { LoadedConfig } from '../config/index.js';
import { describeError } from '../graph/errors.js';
import type { ServiceProviders } from '../graph/services.js';
import type { RunStore } from '../scheduler/run-store.js';
import { maskText } from '../secrets/mask.js';
import type { MetricsDb } from '../writers/metrics-db.js';
import { once, type CliContext } from './context.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { createProgram } from './program.js';

async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  let loaded: LoadedConfig | undefined;
  const warn = (message: string): void => void process.stderr.write(`warning: ${message}\n`);
  const notice = (message: string): void => void process.stderr.write(`${message}\n`);
  const config = (): LoadedConfig => {
    if (loaded === undefined) throw new TypeError('etl: the configuration is read before a command runs');
    return loaded;
  };
  // One handle for the whole process (an embedded database can be open once): commands and runs borrow
  // it, and it is closed when the command is done.
  let opened: Promise<MetricsDb> | undefined;
  const borrowMetricsDb = async (): Promise<MetricsDb> => {
    opened ??= import('../writers/open-metrics-db.js').then(({ openMetricsDb }) => openMetricsDb(config().database, { onNotice: notice }));
    return { ...(await opened), close: async () => undefined };
  };
  const runStore = once(async (): Promise<RunStore> => {
    const { SqlRunStore } = await import('../scheduler/sql-run-store.js');
    const store = new SqlRunStore(await borrowMetricsDb());
    const closed = await store.closeOrphans();
    if (closed.length > 0) warn(`closed ${closed.length} run${closed.length === 1 ? '' : 's'} left unfinished by a process that is gone (run ${closed.join(', ')}: failed, "process exited")`);
    return store;
  });
  const services = once(async (): Promise<ServiceProviders> => {
    const [{ analyticsProvider, prometheusProvider, sourceProviders }, { METRICS_DB_SERVICE }] = await Promise.all([
      import('./wiring/sources.js'),
      import('../writers/metrics-db.js'),
    ]);
    const { file, dataDir } = config();
    return { ...sourceProviders(file, dataDir, notice), ...prometheusProvider(file), ...analyticsProvider(file), [METRICS_DB_SERVICE]: { create: borrowMetricsDb } };
  });
  const ctx: CliContext = {
    config,
    registry: once(async () => (await import('./wiring/registry.js')).buildRegistry(config(), warn)),
    stdout: process.stdout,
    stderr: process.stderr,
    services,
    setExitCode: (code) => (exitCode = code),
    openMetricsDb: borrowMetricsDb,
    runStore,
  };
  const program = createProgram(ctx);
  program.hook('preAction', async (command) => {
    const explicit = (command.optsWithGlobals() as { config?: string }).config;
    const { loadConfig } = await import('../config/index.js');
    loaded = loadConfig({ explicit, env: process.env, cwd: process.cwd() });
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
    // Bounded: a connection stuck on a server that stopped answering must not keep the process alive.
    const db = await opened?.catch(() => undefined);
    await Promise.race([db?.close().catch(() => undefined), sleep(5_000, undefined, { ref: false })]);
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
