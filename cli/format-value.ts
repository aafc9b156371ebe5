// Numbers for people: floating-point noise trimmed (281.39999999999986 -> 281.4); JSON output keeps them exact.

export function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(12)));
}
