// Prints (dims, metrics) rows as a table: one line per metric value, sorted by date, hour and name.
import type { MetricRow } from '../../metrics/row.js';
import { formatValue } from '../format-value.js';

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
  const head = { date: 'date', hour: 'hour', metric: 'metric', value: 'value' };
  const width = (key: keyof typeof head) => Math.max(head[key].length, ...lines.map((l) => l[key].length));
  const w = { date: width('date'), hour: width('hour'), metric: width('metric'), value: width('value') };
  const format = (l: typeof head) => `${l.date.padEnd(w.date)}  ${l.hour.padEnd(w.hour)}  ${l.metric.padEnd(w.metric)}  ${l.value.padStart(w.value)}`;
  return `${[format(head), ...lines.map(format)].join('\n')}\n${lines.length} value${lines.length === 1 ? '' : 's'}\n`;
}
