// Cron expressions of schedules, checked with the parser BullMQ itself uses (cron-parser), so the embedded
// scheduler, the queue and `etl jobs` agree on every firing, DST days included.
import { CronExpressionParser } from 'cron-parser';

/** Why `expr` is not a cron expression (five fields, an optional leading seconds field, or @hourly, @daily...), or undefined. */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (!expr.trim().startsWith('@') && (fields.length < 5 || fields.length > 6)) {
    return `'${expr}' is not a cron expression (five fields 'min hour day month weekday', an optional leading seconds field, or @hourly, @daily, @weekly, @monthly)`;
  }
  try {
    CronExpressionParser.parse(expr, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return `'${expr}' is not a cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}
