// Prints (dims, metrics) rows as a table: one line per metric value, sorted by date, hour and name.
import type { MetricRow } from '../../metrics/row.js';
import { formatValue } from '../format-value.js';
import { formatTable } from '../text-table.js';

export function formatRowsTable(rows: readonly MetricRow[]): string {
  const lines = rows.flatMap((row) =>
    Object.entries(row.metrics).map(([metric, value]) => ({
      date: row.dims.date,
      hour: row.dims.hour === undefined ? '' : String(row.dims.hour).padStart(2, '0'),
      metric,
      value: typeof value === 'number' ? formatValue(value) : String(value),
    })),
  );
  lines.sort((a, b) => a.date.localeCompare(b.date) || a.hour.localeCompare(b.hour) || a.metric.localeCompare(b.metric));
  const table = formatTable(['date', 'hour', 'metric', 'value'], lines.map((l) => [l.date, l.hour, l.metric, l.value]), ['left', 'left', 'left', 'right']);
  return `${table}${lines.length} value${lines.length === 1 ? '' : 's'}\n`;
}
