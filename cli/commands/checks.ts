// `etl checks`: the back-test (judge the configured checks over past days without storing, print the buckets
// that fail and why, exit 1 when any fails), and `--explain <metric> --at <hour>`: the history a judgement used.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import { isValidDate, nextDate, toDateHour } from '../../metrics/time.js';
import type { CheckResult } from '../../checks/check.js';
import type { CliContext } from '../context.js';
import { EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';
import { formatRounded, formatValue } from '../format-value.js';
import { formatTable } from '../text-table.js';

interface ChecksOptions {
  from?: string;
  to?: string;
  json?: boolean;
  check?: string;
  explain?: string;
  at?: string;
}

function date(option: string): (value: string) => string {
  return (value) => {
    if (!isValidDate(value)) throw new UsageError(`${option}: '${value}' is not a date (YYYY-MM-DD)`);
    return value;
  };
}

/** '2026-10-14T14', '2026-10-14 14:00' or a day '2026-10-14' (the daily bucket). */
function parseAt(value: string): { date: string; hour: number } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2})(?::00)?)?$/.exec(value.trim());
  if (m === null || !isValidDate(m[1]) || (m[2] !== undefined && Number(m[2]) > 23)) throw new UsageError(`--at: '${value}' is not a local hour (YYYY-MM-DDTHH) or day (YYYY-MM-DD)`);
  return { date: m[1]!, hour: m[2] === undefined ? 24 : Number(m[2]) };
}

const bucket = (r: Pick<CheckResult, 'date' | 'hour'>): string => (r.hour === 24 ? r.date : `${r.date} ${String(r.hour).padStart(2, '0')}:00`);
/** The expected band, rounded as the reason rounds it (`--json` keeps it exact). */
export const band = (r: Pick<CheckResult, 'expectedLow' | 'expectedHigh'>): string =>
  r.expectedLow === null && r.expectedHigh === null ? '' : `${r.expectedLow === null ? '' : formatRounded(r.expectedLow)}..${r.expectedHigh === null ? '' : formatRounded(r.expectedHigh)}`;

function table(results: readonly CheckResult[]): string {
  return formatTable(
    ['check', 'metric', 'bucket', 'status', 'value', 'expected', 'reason'],
    results.map((r) => [r.check, r.metric, bucket(r), r.status, r.value === null ? '-' : formatValue(r.value), band(r), r.reason]),
    ['left', 'left', 'left', 'left', 'right', 'left', 'left'],
  );
}

export function registerChecksCommand(program: Command, ctx: CliContext): void {
  program
    .command('checks')
    .description('back-test the configured checks over past days: print the buckets that fail and why (exit 1 when any fails)')
    .option('--from <date>', 'first local date judged (default: 7 days before --to)', date('--from'))
    .option('--to <date>', 'last local date judged (default: today)', date('--to'))
    .option('--check <name>', 'only this check')
    .option('--json', 'print JSON')
    .option('--explain <metric>', 'print the history the judgement of --at used for this metric')
    .option('--at <hour>', 'with --explain: the local hour (YYYY-MM-DDTHH) or day (YYYY-MM-DD)')
    .action(async (options: ChecksOptions) => {
      const runtime = ctx.runtime();
      const [{ checksOf }, { judgeOnly }, { datesScope }, { ensureMigrated }, { explain }] = await Promise.all([
        import('../../runtime/checks.js'),
        import('../../checks/evaluate.js'),
        import('../../checks/scope.js'),
        import('../../writers/migrate.js'),
        import('../../checks/explain.js'),
      ]);
      const all = checksOf(runtime.config);
      const checks = options.check === undefined ? all : all.filter((c) => c.name === options.check);
      if (all.length === 0) throw new UsageError(`${runtime.config.source.file ?? 'the configuration'}: no checks configured (the 'checks' key: see docs/checks.md)`);
      if (checks.length === 0) throw new UsageError(`--check: no check is named '${options.check}' (checks: ${all.map((c) => c.name).join(', ')})`);
      const db = await runtime.metricsDb();
      await ensureMigrated(db);
      const now = Date.now();
      if (options.explain !== undefined) {
        if (options.at === undefined) throw new UsageError('--explain needs --at <hour> (YYYY-MM-DDTHH)');
        const at = parseAt(options.at);
        const found = await explain(db, checks, options.explain, at.date, at.hour, now);
        if (options.json) return void ctx.stdout.write(`${JSON.stringify(found)}\n`);
        if (found.length === 0) return void ctx.stderr.write(`no ${at.hour === 24 ? 'daily' : 'hourly'} check names ${options.explain}\n`);
        for (const e of found) {
          const unjudged = e.ended ? 'no value stored in this bucket' : `not judged: the bucket ends at ${bucket(toDateHour(e.endsAt.getTime(), runtime.config.timeZone))} (only ended buckets are judged)`;
          ctx.stdout.write(`${e.check}: ${e.result === undefined ? unjudged : `${e.result.status}: ${e.result.reason}`}\n`);
          for (const h of e.history) ctx.stdout.write(`  ${bucket(h)}  ${h.value === null ? '-' : formatValue(h.value)}\n`);
        }
        return;
      }
      if (options.at !== undefined) throw new UsageError('--at goes with --explain <metric>');
      const to = options.to ?? toDateHour(now, runtime.config.timeZone).date;
      const from = options.from ?? nextDate(to, -7);
      if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
      const results = await judgeOnly(db, { checks, scope: datesScope(from, to, runtime.config.timeZone), now });
      const failing = results.filter((r) => r.status === 'fail').length;
      if (options.json) ctx.stdout.write(`${JSON.stringify(results)}\n`);
      else if (results.length > 0) ctx.stdout.write(table(results));
      ctx.stderr.write(`${checks.length} check${checks.length === 1 ? '' : 's'} judged ${from} to ${to}: ${failing} bucket${failing === 1 ? '' : 's'} failing, ${results.length - failing} warning\n`);
      ctx.setExitCode(failing > 0 ? EXIT_RUN_FAILED : EXIT_OK);
    });
}
