// The commander program: one register function per command file.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBackfillCommands } from './commands/backfill.js';
import { registerConfigCommand } from './commands/config.js';
import { registerControlCommands } from './commands/control.js';
import { registerCleanCommand } from './commands/clean.js';
import { registerCollectCommand } from './commands/collect.js';
import { registerDbCommand } from './commands/db.js';
import { registerInitCommand } from './commands/init.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerMetricsCommand } from './commands/metrics.js';
import { registerChecksCommand } from './commands/checks.js';
import { registerReadCommand } from './commands/read.js';
import { registerRunCommand } from './commands/run.js';
import { registerRunsCommand } from './commands/runs.js';
import { registerSchedulerCommand } from './commands/scheduler.js';
import { registerUiCommand } from './commands/ui.js';
import { registerWorkerCommand } from './commands/worker.js';
import type { CliContext } from './context.js';

/** The version in package.json (read once, at start-up: two levels above dist/cli/ or cli/). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'etl-metrics' && pkg.version) return pkg.version;
    } catch {
      // Not there: try the next level.
    }
  }
  return 'unknown';
}

export function createProgram(ctx: CliContext): Command {
  const program = new Command('etl')
    .description('Business-metrics ETL: job graphs of plain functions, scheduled runs, Grafana dashboards')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => void ctx.stdout.write(text),
      writeErr: (text) => void ctx.stderr.write(text),
    })
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('-c, --config <file>', 'configuration file (default: $ETL_CONFIG, else ./etl.config.json, else the demo)')
    .exitOverride();
  for (const register of [registerJobsCommand, registerRunCommand, registerInspectCommand, registerConfigCommand, registerReadCommand, registerDbCommand, registerCleanCommand, registerMetricsCommand, registerChecksCommand, registerRunsCommand, registerSchedulerCommand, registerWorkerCommand, registerControlCommands, registerUiCommand, registerBackfillCommands, registerCollectCommand, registerInitCommand]) register(program, ctx);
  return program;
}
