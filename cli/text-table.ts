// Plain-text tables for the terminal: columns padded to their widest cell, numbers aligned right.

export type Align = 'left' | 'right';

export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align: readonly Align[] = []): string {
  const all = [header, ...rows];
  // A loop, not Math.max(...cells): spreading 100,000s of rows into arguments overflows the stack.
  const widths = header.map(() => 0);
  for (const row of all) for (let c = 0; c < widths.length; c++) widths[c] = Math.max(widths[c]!, (row[c] ?? '').length);
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  let out = '';
  for (const row of all) out += `${line(row)}\n`;
  return out;
}
