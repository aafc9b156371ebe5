// Numbers for people: floating-point noise trimmed (281.39999999999986 -> 281.4), or rounded to 2 decimals
// where a figure is computed (a check's band); JSON output keeps them exact.

export function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(12)));
}

/** At most `decimals` decimals, trailing zeros trimmed (437.583384837 -> 437.58), as the checks' reasons print them. */
export function formatRounded(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toFixed(decimals)) + 0);
}
