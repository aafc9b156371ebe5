// A `table` panel: an HTML table of one frame (options.frameIndex), a column per field, values in their unit
// (times in local time), value mappings and colour-text/background cells, column widths; a click on a heading
// sorts by it (ascending, descending, as sent).
import type { FieldJson, FrameJson, PanelDataJson } from '../view/dashboard-wire.js';
import { namedColor } from './colors.js';
import { fieldDisplay, mapped, type FieldDisplay } from './field-config.js';
import { numberOr, record, textOr, type PanelSpec } from './panel-spec.js';
import { formatValue } from './units.js';

type Value = FieldJson['values'][number];
interface Column {
  readonly field: FieldJson;
  readonly display: FieldDisplay;
}
type Sort = { readonly column: number; readonly descending: boolean } | undefined;

function cellText(column: Column, value: Value): string {
  if (value === null || value === undefined) return '';
  const mapping = mapped(column.display.mappings, value);
  if (mapping?.text !== undefined) return mapping.text;
  if (column.field.type === 'time' && typeof value === 'number') return new Date(value).toLocaleString();
  if (typeof value === 'number') return formatValue(value, column.display.unit, column.display.decimals);
  return String(value);
}

function cell(column: Column, value: Value): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = cellText(column, value);
  if (column.field.type === 'number') td.className = 'num';
  const mode = textOr(record(column.display.custom.cellOptions).type, 'auto');
  const color = mapped(column.display.mappings, value)?.color;
  if (color !== undefined && mode === 'color-text') td.style.color = namedColor(color);
  if (color !== undefined && mode === 'color-background') td.style.background = namedColor(color);
  return td;
}

function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

function order(columns: readonly Column[], rows: number, sort: Sort): number[] {
  const indexes = Array.from({ length: rows }, (_, i) => i);
  if (sort === undefined) return indexes;
  const values = columns[sort.column]!.field.values;
  return indexes.sort((i, j) => (sort.descending ? -1 : 1) * compare(values[i] ?? null, values[j] ?? null) || i - j);
}

function heading(column: Column, index: number, sort: Sort, onSort: (index: number) => void): HTMLTableCellElement {
  const th = document.createElement('th');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'sort';
  const mark = sort?.column === index ? (sort.descending ? ' ▼' : ' ▲') : '';
  button.textContent = `${column.display.displayName ?? column.field.name}${mark}`;
  button.addEventListener('click', () => onSort(index));
  th.append(button);
  th.setAttribute('aria-sort', sort?.column === index ? (sort.descending ? 'descending' : 'ascending') : 'none');
  if (column.field.type === 'number') th.className = 'num';
  const width = numberOr(column.display.custom.width, 0);
  if (width > 0) th.style.width = `${width}px`;
  return th;
}

function render(table: HTMLTableElement, columns: readonly Column[], rows: number, sort: Sort): void {
  const next = (index: number): void => {
    const descending = sort?.column === index && !sort.descending;
    render(table, columns, rows, sort?.column === index && sort.descending ? undefined : { column: index, descending });
  };
  const head = document.createElement('tr');
  head.append(...columns.map((c, i) => heading(c, i, sort, next)));
  const body = document.createElement('tbody');
  for (const i of order(columns, rows, sort)) {
    const tr = document.createElement('tr');
    tr.append(...columns.map((c) => cell(c, c.field.values[i] ?? null)));
    body.append(tr);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  table.replaceChildren(thead, body);
}

function columnsOf(frame: FrameJson, panel: PanelSpec): Column[] {
  return frame.fields
    .map((field) => ({ field, display: fieldDisplay(panel.fieldConfig, { name: field.name, shownName: field.name, type: field.type, refId: frame.refId }) }))
    .filter((c) => c.display.custom.hidden !== true && c.display.custom.hideFrom !== true);
}

/** false when there is no frame (the caller says "no data"). */
export function drawTable(body: HTMLElement, panel: PanelSpec, data: PanelDataJson): boolean {
  const frame = data.frames[numberOr(panel.options.frameIndex, 0)] ?? data.frames[0];
  if (frame === undefined) return false;
  const columns = columnsOf(frame, panel);
  const rows = Math.max(0, ...columns.map((c) => c.field.values.length));
  const table = document.createElement('table');
  table.className = 'list panel-table';
  render(table, columns, rows, undefined);
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(table);
  body.replaceChildren(wrap);
  if (data.truncated === true) {
    const note = document.createElement('p');
    note.className = 'muted small panel-note';
    note.textContent = 'The result was cut at the row cap.';
    body.append(note);
  }
  return true;
}
