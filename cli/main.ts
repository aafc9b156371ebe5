#!/usr/bin/env node
// Entry point of `etl`: read the configuration once, wire it to services, run the command, map errors to exit codes.
import { setTimeout as sleep } from 'node:timers/promises';
import { CommanderError } from 'commander';
import { loadConfig } from '../config/index.js';
import { describeError } from '../graph/index.js';
import { maskText } from '../secrets/mask.js';
import { once, type CliContext } from './context.js';
import type { DatabaseConfig } from '../config/index.js';
import { METRICS_DB_SERVICE, type MetricsDb } from '../writers/metrics-db.js';
import { openMetricsDb } from '../writers/open-metrics-db.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { createProgram } from './program.js';
import { buildRegistry } from './wiring/registry.js';
import { analyticsProvider, prometheusProvider, sourceProviders } from './wiring/sources.js';

async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  let configPath: string | undefined;
  const warn = (message: string): void => void process.stderr.write(`warning: ${message}\n`);
  const config = once(() => loadConfig({ explicit: configPath, env: process.env, cwd: process.cwd() }));
  const database = (): DatabaseConfig => config().database;
  // One handle for the whole process (an embedded database can be open once): commands and runs borrow
  // it, and it is closed when the command is done.
  let opened: Promise<MetricsDb> | undefined;
  const notice = (message: string): void => void process.stderr.write(`${message}\n`);
  const borrowMetricsDb = async (): Promise<MetricsDb> => ({ ...(await (opened ??= openMetricsDb(database(), { onNotice: notice }))), close: async () => undefined });
  const runStore = once(async () => {
    const { SqlRunStore } = await import('../scheduler/sql-run-store.js');
    const store = new SqlRunStore(await borrowMetricsDb());
    const closed = await store.closeOrphans();
    if (closed.length > 0) warn(`closed ${closed.length} run${closed.length === 1 ? '' : 's'} left unfinished by a process that is gone (run ${closed.join(', ')}: failed, "process exited")`);
    return store;
  });
  const ctx: CliContext = {
    config,
    registry: once(() => buildRegistry(config(), warn)),
    stdout: process.stdout,
    stderr: process.stderr,
    services: once(() => ({
      ...sourceProviders(config().file, config().dataDir),
      ...prometheusProvider(config().file),
      ...analyticsProvider(config().file),
      [METRICS_DB_SERVICE]: { create: borrowMetricsDb },
    })),
    setExitCode: (code) => (exitCode = code),
    openMetricsDb: borrowMetricsDb,
    runStore,
  };
  const program = createProgram(ctx);
  program.hook('preAction', (command) => {
    configPath = (command.optsWithGlobals() as { config?: string }).config;
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

// Exit as soon as the command is done: sockets left to a hung server (closed above within a bound) must
// not keep a finished command waiting.
process.exit(await main(process.argv.slice(2)));
