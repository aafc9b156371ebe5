// Numbers as Grafana's common units show them (short, percent, percentunit, ms, s, bytes, currencies, none...);
// any other unit: the plain number. `decimals` fixes the digits after the point, otherwise up to 2 (fewer for big values).

const SHORT = ['', ' K', ' Mil', ' Bil', ' Tri'];
const BYTES = [' B', ' KiB', ' MiB', ' GiB', ' TiB', ' PiB'];
const DECIMAL_BYTES = [' B', ' kB', ' MB', ' GB', ' TB', ' PB'];
const CURRENCIES: Readonly<Record<string, string>> = { currencyUSD: '$', currencyEUR: '€', currencyGBP: '£', currencyJPY: '¥' };

function fixed(value: number, decimals: number | undefined): string {
  if (decimals !== undefined) return value.toFixed(decimals);
  const abs = Math.abs(value);
  const digits = abs === 0 || Number.isInteger(value) ? 0 : abs >= 100 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

/** value / base^k with the k-th suffix, k chosen so the result stays below `base`. */
function scaled(value: number, base: number, suffixes: readonly string[], decimals: number | undefined): string {
  let k = 0;
  let v = value;
  while (Math.abs(v) >= base && k < suffixes.length - 1) {
    v /= base;
    k++;
  }
  return `${fixed(v, decimals)}${suffixes[k]}`;
}

/** Milliseconds as ms, s, min, hour or day, the largest that keeps the number at 1 or above. */
function duration(ms: number, decimals: number | undefined): string {
  const steps: ReadonlyArray<readonly [number, string]> = [[86_400_000, ' day'], [3_600_000, ' hour'], [60_000, ' min'], [1_000, ' s']];
  for (const [size, suffix] of steps) if (Math.abs(ms) >= size) return `${fixed(ms / size, decimals)}${suffix}`;
  return `${fixed(ms, decimals)} ms`;
}

export function formatValue(value: number | null | undefined, unit = '', decimals?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'short':
      return scaled(value, 1000, SHORT, decimals);
    case 'percent':
      return `${fixed(value, decimals)}%`;
    case 'percentunit':
      return `${fixed(value * 100, decimals)}%`;
    case 'ms':
      return duration(value, decimals);
    case 's':
      return duration(value * 1000, decimals);
    case 'm':
      return duration(value * 60_000, decimals);
    case 'h':
      return duration(value * 3_600_000, decimals);
    case 'bytes':
      return scaled(value, 1024, BYTES, decimals);
    case 'decbytes':
      return scaled(value, 1000, DECIMAL_BYTES, decimals);
    case 'locale':
      return value.toLocaleString(undefined, decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    default: {
      const symbol = CURRENCIES[unit];
      if (symbol !== undefined) return `${value < 0 ? '-' : ''}${symbol}${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: decimals ?? 2, maximumFractionDigits: decimals ?? 2 })}`;
      return fixed(value, decimals);
    }
  }
}
