// The `checks` key: checks on metric values (anomaly, freshness, range, change, missing), each on one metric
// or a name pattern; every key checked, errors name the key, durations and percentages parsed here once.
import { z } from 'zod';
import { tryParseDuration } from '../graph/duration.js';
import { shown } from '../readers/option-types.js';

/** A metric name, or a pattern where `*` stands for any text (`events.*.count`, `ga.*`). */
const metricPattern = z
  .string()
  .regex(/^[a-z0-9_*-]+(\.[a-z0-9_*-]+)*$/, "is not a metric name or pattern (dotted lower-case parts, '*' for any text)");

const spanProblem = (value: unknown): string => `${shown(value)} is not a history span (whole days or weeks: 28d, 4w)`;
/** A span of history in whole days: '28d', '4w' (parsed to a number of days). */
const historySpan = z
  .string({ error: (issue) => spanProblem(issue.input) })
  .transform((text, ctx) => {
    const match = /^(\d+)(d|w)$/.exec(text.trim());
    const days = match === null ? NaN : Number(match[1]) * (match[2] === 'w' ? 7 : 1);
    if (!(days >= 1 && days <= 3660)) {
      ctx.addIssue({ code: 'custom', message: spanProblem(text) });
      return z.NEVER;
    }
    return days;
  })
  .meta({ type: 'days (28d, 4w)' });

const percentProblem = (value: unknown): string => `${shown(value)} is not a percentage ('20%', from 0% to 1000%)`;
/** '20%' -> 0.2. */
const percent = z
  .string({ error: (issue) => percentProblem(issue.input) })
  .transform((text, ctx) => {
    const match = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
    const value = match === null ? NaN : Number(match[1]) / 100;
    if (!(value >= 0 && value <= 10)) {
      ctx.addIssue({ code: 'custom', message: percentProblem(text) });
      return z.NEVER;
    }
    return value;
  })
  .meta({ type: "percentage ('20%')" });

const ageProblem = (value: unknown): string => `${shown(value)} is not a duration (e.g. 30m, 3h, 2d)`;
/** A positive duration ('3h', '1d12h'), in milliseconds once parsed. */
const age = z.union([z.string(), z.number()], { error: (issue) => ageProblem(issue.input) }).transform((value, ctx) => {
  const ms = tryParseDuration(value);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: ageProblem(value) });
    return z.NEVER;
  }
  return ms;
}).meta({ type: 'duration' });

/** Keys every check has. */
const common = {
  /** Names the check in results, alerts and /metrics (default `<metric>:<type>`, `:daily` added for a daily grain). */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.*:-]{1,120}$/, "letters, digits, '_', '.', '*', ':' or '-', at most 120")
    .optional()
    .meta({ description: 'names the check in results, alerts and /metrics; unique', default: '<metric>:<type> (:daily added for a daily grain)' }),
  metric: metricPattern.meta({ description: 'a metric name, or a pattern where * is any text (events.*.count, ga.*)' }),
  /** Which values: the hourly ones (default) or the daily ones. */
  grain: z.enum(['hourly', 'daily']).default('hourly').meta({ description: 'which values are judged' }),
  /** What a failing judgement is recorded as: 'fail' (default, alerted) or 'warn'. */
  severity: z.enum(['fail', 'warn']).default('fail').meta({ description: 'what a failing judgement is recorded as: fail (alerted, `etl checks` exits 1) or warn' }),
};

const anomaly = z.strictObject({
  ...common,
  type: z.literal('anomaly').meta({ description: 'anomaly: each value against the same bucket of its season over history (median and MAD)' }),
  /** How far back the history goes (default 4w). */
  history: historySpan.default(28).meta({ description: 'how far back the history goes (anomaly)', default: '28d' }),
  /** Which past buckets are alike: same hour of the week (hourly default), of the day, same weekday (daily default), or every day. */
  seasonality: z
    .enum(['hour-of-week', 'hour-of-day', 'day-of-week', 'none'])
    .optional()
    .meta({ description: 'which past buckets are alike: same local hour of the weekday, same hour of the day, same weekday, or every past day (anomaly)', default: 'hour-of-week (daily grain: day-of-week)' }),
  /** Robust z-score beyond which a value is anomalous (default 3). */
  threshold: z.number().positive().max(100).default(3).meta({ description: 'robust z-score beyond which a value is anomalous (anomaly)' }),
  /** Past values needed before the check judges (default 3). */
  minHistory: z.number().int().min(1).max(1000).default(3).meta({ description: 'past values needed before it judges; fewer: passed, "not judged" (anomaly)' }),
  /** Which side fails: 'down', 'up' or 'both' (default). */
  direction: z.enum(['up', 'down', 'both']).default('both').meta({ description: 'which side fails (anomaly)' }),
  /** A change smaller than this share of the expected value is never anomalous (default '10%'). */
  minChange: percent.default(0.1).meta({ description: 'a change smaller than this share of the expected value is never anomalous (anomaly)', default: '10%' }),
});

const freshness = z.strictObject({
  ...common,
  type: z.literal('freshness').meta({ description: 'freshness: fails when the latest stored bucket of the metric ended longer than maxAge ago' }),
  maxAge: age.meta({ description: 'the oldest the latest bucket may be, e.g. 3h (freshness)' }),
});

const range = z
  .strictObject({
    ...common,
    type: z.literal('range').meta({ description: 'range: fails a value below min or above max' }),
    min: z.number().optional().meta({ description: 'lowest value that passes (range; min, max or both)' }),
    max: z.number().optional().meta({ description: 'highest value that passes (range; min, max or both)' }),
  })
  .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'a range check needs min, max or both', path: ['min'] })
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: 'min is above max', path: ['min'] });

const change = z
  .strictObject({
    ...common,
    type: z.literal('change').meta({ description: "change: the value against the metric's previous stored value of the same grain" }),
    maxDrop: percent.optional().meta({ description: 'largest drop that passes (change; maxDrop, maxRise or both)' }),
    maxRise: percent.optional().meta({ description: 'largest rise that passes (change; maxDrop, maxRise or both)' }),
  })
  .refine((c) => c.maxDrop !== undefined || c.maxRise !== undefined, { message: 'a change check needs maxDrop, maxRise or both', path: ['maxDrop'] });

const missing = z.strictObject({
  ...common,
  type: z.literal('missing').meta({ description: "missing: fails each bucket without a value that ended more than grace ago, from the metric's first value on" }),
  /** How long after its end a bucket may still be without a value (default 1h). */
  grace: age.default(3_600_000).meta({ description: 'how long after its end a bucket may still be without a value (missing)' }),
});

const oneCheck = z.discriminatedUnion('type', [anomaly, freshness, range, change, missing], {
  error: (issue) => (issue.code === 'invalid_union' ? "type must be one of 'anomaly', 'freshness', 'range', 'change', 'missing'" : undefined),
});

/** The `checks` key: names unique (given or defaulted). */
export const checksSchema = z.array(oneCheck).superRefine((checks, ctx) => {
  const seen = new Map<string, number>();
  checks.forEach((check, i) => {
    const name = checkName(check);
    const first = seen.get(name);
    if (first !== undefined) ctx.addIssue({ code: 'custom', message: `'${name}' names checks[${first}] too (give one a different name)`, path: [i, 'name'] });
    else seen.set(name, i);
  });
});

export type CheckConfig = z.infer<typeof oneCheck>;

/** The name of a configured check: its own, or `<metric>:<type>` (`:daily` added for a daily grain). */
export function checkName(check: Pick<CheckConfig, 'name' | 'metric' | 'type' | 'grain'>): string {
  return check.name ?? `${check.metric}:${check.type}${check.grain === 'daily' ? ':daily' : ''}`;
}
