// `etl metrics`: the metrics with their latest hourly and daily values, as a table or JSON.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import { isValidDate } from '../../metrics/time.js';
import type { MetricSummary } from '../../writers/list-metrics.js';
import type { CliContext } from '../context.js';
import { formatValue } from '../format-value.js';
import { formatTable } from '../text-table.js';

function date(option: string): (value: string) => string {
  return (value) => {
    if (!isValidDate(value)) throw new UsageError(`${option}: '${value}' is not a date (YYYY-MM-DD)`);
    return value;
  };
}

function table(metrics: readonly MetricSummary[]): string {
  return formatTable(
    ['metric', 'unit', 'latest hourly', 'value', 'latest daily', 'value'],
    metrics.map((m) => [
      m.name,
      m.unit ?? '',
      m.hourly ? `${m.hourly.date} ${String(m.hourly.hour).padStart(2, '0')}:00` : '-',
      m.hourly ? formatValue(m.hourly.value) : '',
      m.daily ? m.daily.date : '-',
      m.daily ? formatValue(m.daily.value) : '',
    ]),
    ['left', 'left', 'left', 'right', 'left', 'right'],
  );
}

export function registerMetricsCommand(program: Command, ctx: CliContext): void {
  program
    .command('metrics')
    .description('list the metrics with their latest hourly and daily values')
    .option('--prefix <text>', 'only metrics whose name starts with this text')
    .option('--from <date>', 'only values on or after this local date (YYYY-MM-DD)', date('--from'))
    .option('--to <date>', 'only values on or before this local date (YYYY-MM-DD)', date('--to'))
    .option('--json', 'print JSON')
    .action(async (options: { prefix?: string; from?: string; to?: string; json?: boolean }) => {
      const [{ schemaVersion }, { listMetrics }] = await Promise.all([import('../../writers/migrate.js'), import('../../writers/list-metrics.js')]);
      if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
        throw new UsageError(`--from ${options.from} is after --to ${options.to}`);
      }
      const db = await ctx.runtime().metricsDb();
      try {
        const metrics = (await schemaVersion(db, db.settings.schema)) === 0 ? [] : await listMetrics(db, options);
        if (options.json) {
          ctx.stdout.write(`${JSON.stringify(metrics)}\n`);
          return;
        }
        if (metrics.length === 0) {
          ctx.stderr.write('no metrics found\n');
          return;
        }
        ctx.stdout.write(table(metrics));
      } finally {
        await db.close();
      }
    });
}
