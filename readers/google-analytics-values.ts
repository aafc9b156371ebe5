// GA4 report values: metric strings parsed by their declared type, `date` / `dateHour` dimension values.

/** Factor turning a duration type into seconds: every duration the reader produces is in seconds. */
const TO_SECONDS: Readonly<Record<string, (n: number) => number>> = {
  TYPE_SECONDS: (n) => n,
  TYPE_MILLISECONDS: (n) => n / 1000,
  TYPE_MINUTES: (n) => n * 60,
  TYPE_HOURS: (n) => n * 3600,
};

const INTEGER_RE = /^[+-]?\d+$/;
const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A metric value from its string and its metricHeaders type. TYPE_INTEGER must be an integer; durations
 * (TYPE_SECONDS, TYPE_MILLISECONDS, TYPE_MINUTES, TYPE_HOURS) become seconds; TYPE_FLOAT, TYPE_STANDARD,
 * TYPE_CURRENCY (in the property's currency) and distances (TYPE_FEET, ...) are taken as they are.
 * Returns undefined when the string is not a finite number of that type.
 */
export function parseMetricValue(value: string | null | undefined, type: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (type === 'TYPE_INTEGER') return INTEGER_RE.test(text) ? Number(text) : undefined;
  if (!DECIMAL_RE.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  const toSeconds = type ? TO_SECONDS[type] : undefined;
  return toSeconds === undefined ? n : toSeconds(n);
}

/** `20261025` -> `2026-10-25`; undefined when malformed. */
export function parseGaDate(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string' || !/^\d{8}$/.test(value)) return undefined;
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** `2026102514` -> `{ date: '2026-10-25', hour: 14 }`; undefined when malformed. */
export function parseGaDateHour(value: string | null | undefined): { date: string; hour: number } | undefined {
  if (typeof value !== 'string' || !/^\d{10}$/.test(value)) return undefined;
  const date = parseGaDate(value.slice(0, 8));
  const hour = Number(value.slice(8));
  return date === undefined || hour > 23 ? undefined : { date, hour };
}
