// `etl read <source|all> [--write] [--from] [--to] [--json]`: the main job, over the current hour or a past window.
import type { Command } from 'commander';
import { UsageError } from '../../graph/index.js';
import type { MetricRow } from '../../metrics/row.js';
import { backfillWindow, currentWindow } from '../../metrics/window.js';
import { metricsDbOutput, readJob } from '../../jobs/read-job.js';
import type { CliContext } from '../context.js';
import { EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';
import { runRecorded } from '../run-recorded.js';
import { parseTimeArg } from '../time-args.js';
import { READER_NAMES, wireReaders } from '../wiring/readers.js';
import { formatRowsTable } from './rows-table.js';

interface ReadOptions {
  readonly write?: boolean;
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
}

export function registerReadCommand(program: Command, ctx: CliContext): void {
  program
    .command('read')
    .description('read a source (or all enabled sources) over a window; --write stores the values')
    .argument('<source>', `all, or one of: ${READER_NAMES.join(', ')}`)
    .option('--write', 'write the values into the metrics database (default: print them)')
    .option('--from <time>', 'start of a past window: YYYY-MM-DD or YYYY-MM-DDTHH:mm (local), or an ISO instant')
    .option('--to <time>', 'end of the window (exclusive; default now)')
    .option('--json', 'print rows (or the run record with --write) as JSON')
    .action(async (name: string, options: ReadOptions) => {
      const config = ctx.config();
      if (name !== 'all' && !(READER_NAMES as readonly string[]).includes(name)) {
        throw new UsageError(`unknown source '${name}' (sources: all, ${READER_NAMES.join(', ')})`);
      }
      const warn = (message: string): void => void ctx.stderr.write(`warning: ${message}\n`);
      const { enabled, skipped } = wireReaders(config.file, warn);
      if (config.source.demo) ctx.stderr.write(`no etl.config.json found: using the demo configuration (${config.source.file})\n`);
      const chosen = name === 'all' ? enabled : enabled.filter((r) => r.name === name);
      for (const skip of skipped) {
        if (name === 'all') ctx.stderr.write(`skipped ${skip.name}: ${skip.why}\n`);
        else if (skip.name === name) throw new UsageError(`source '${name}' is ${skip.why}`);
      }
      if (chosen.length === 0) throw new UsageError('no reader is enabled: configure one in etl.config.json (see README)');

      const now = Date.now();
      if (options.to !== undefined && options.from === undefined) throw new UsageError('--to needs --from');
      const window =
        options.from === undefined
          ? currentWindow(now, config.timeZone)
          : backfillWindow(
              parseTimeArg('--from', options.from, config.timeZone),
              options.to === undefined ? now : parseTimeArg('--to', options.to, config.timeZone),
              config.timeZone,
              now,
            );

      const rows: MetricRow[] = [];
      const job = readJob({
        name,
        readers: chosen,
        output: options.write ? metricsDbOutput() : { kind: 'collect' },
        timeZone: config.timeZone,
      });
      const params = { window, onRow: (row: MetricRow) => void rows.push(row) };
      const { run } = await runRecorded(ctx, job, { params, trigger: options.from === undefined ? 'manual' : 'backfill' });
      if (!options.write) ctx.stdout.write(options.json ? `${JSON.stringify(rows)}\n` : formatRowsTable(rows));
      else if (options.json) ctx.stdout.write(`${JSON.stringify(run)}\n`);
      ctx.setExitCode(run.status === 'succeeded' ? EXIT_OK : EXIT_RUN_FAILED);
    });
}
