// `etl read <source|all> [--write] [--from] [--to] [--timeout] [--json]`: the main job, over the current hour or a past window.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { MetricRow } from '../../metrics/row.js';
import type { CliContext } from '../context.js';
import { waitPolicy, withWaitOptions, type WaitOptions } from '../wait-running.js';

interface ReadOptions extends WaitOptions {
  readonly write?: boolean;
  readonly from?: string;
  readonly to?: string;
  readonly timeout?: string;
  readonly json?: boolean;
}

export function registerReadCommand(program: Command, ctx: CliContext): void {
  withWaitOptions(program.command('read'))
    .description('read a source (or all enabled sources) over a window; --write stores the values')
    .argument('<source>', 'all, or one reader (objects, spiders, events, prometheus, google-analytics, or one of yours)')
    .option('--write', 'write the values into the metrics database (default: print them)')
    .option('--from <time>', 'start of a past window: YYYY-MM-DD or YYYY-MM-DDTHH:mm (local), or an ISO instant')
    .option('--to <time>', 'end of the window (exclusive; default now; clipped to now)')
    .option('--timeout <duration>', 'fail the run if it takes longer (e.g. 90s, 10m)')
    .option('--json', 'print rows (or the run record with --write) as JSON')
    .action(async (name: string, options: ReadOptions) => {
      const { parseDuration } = await import('../../config/duration.js');
      const { backfillWindow, currentWindow } = await import('../../metrics/window.js');
      const { didYouMean } = await import('../did-you-mean.js');
      const { runRecorded } = await import('../run-recorded.js');
      const { parseWindowArgs } = await import('../time-args.js');
      const { formatRowsTable } = await import('./rows-table.js');
      const { jsonArrayStream } = await import('../json-array-stream.js');
      const config = ctx.runtime().config;
      const wired = await ctx.runtime().readers();
      const names = ['all', ...wired.names];
      if (!names.includes(name)) throw new UsageError(`unknown source '${name}' (${didYouMean(name, names)}sources: ${names.join(', ')})`);
      if (options.to !== undefined && options.from === undefined) throw new UsageError('--to needs --from');
      const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, '--timeout');
      if (timeoutMs === 0) throw new UsageError('--timeout: must be more than 0');
      const now = Date.now();
      const span = options.from === undefined ? undefined : parseWindowArgs({ from: options.from, to: options.to }, config.timeZone, now);

      const { metricsDbOutput, readJob } = await import('../../jobs/read-job.js');
      const { enabled, skipped } = wired;
      if (config.source.demo) ctx.stderr.write(`no etl.config.json found: using the demo configuration (${config.source.file})\n`);
      const chosen = name === 'all' ? enabled : enabled.filter((r) => r.name === name);
      for (const skip of skipped) {
        if (name === 'all') ctx.stderr.write(`skipped ${skip.name}: ${skip.why}\n`);
        else if (skip.name === name) throw new UsageError(`source '${name}' is ${skip.why}`);
      }
      if (chosen.length === 0) throw new UsageError('no reader is enabled: configure one in etl.config.json (see README)');
      if (span?.note !== undefined) ctx.stderr.write(`note: ${span.note}\n`);
      const window = span === undefined ? currentWindow(now, config.timeZone) : backfillWindow(span.from, span.to, config.timeZone, now);

      // --json rows are printed as they come (memory does not grow with the window); the table is sorted, so collected.
      const rows: MetricRow[] = [];
      const printed = !options.write && options.json ? jsonArrayStream<MetricRow>(ctx.stdout) : undefined;
      const job = readJob({
        name,
        readers: chosen,
        output: options.write ? metricsDbOutput() : { kind: 'collect' },
        timeZone: config.timeZone,
      });
      const params = { window, onRow: printed === undefined ? (row: MetricRow) => void rows.push(row) : printed.push };
      const { run, exitCode } = await runRecorded(ctx, job, {
        params,
        trigger: span === undefined ? 'manual' : 'backfill',
        wait: await waitPolicy(options, timeoutMs),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      }).finally(() => printed?.endIfStarted());
      if (printed !== undefined) printed.end();
      else if (!options.write) ctx.stdout.write(formatRowsTable(rows));
      else if (options.json) ctx.stdout.write(`${JSON.stringify(run ?? null)}\n`);
      ctx.setExitCode(exitCode);
    });
}
