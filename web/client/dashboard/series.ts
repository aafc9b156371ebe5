// From data frames to series: every number field with its name as shown (displayName, else its labels' values,
// else its name), its display settings, its values and its frame's times; and the series aligned on the union of
// their times (null where a series has no value: a gap in the chart), the x values uPlot takes; and Grafana's
// stacking of them (custom.stacking: cumulative sums per x in series order, or shares of the total).
import type { FieldJson, FrameJson } from '../view/dashboard-wire.js';
import { fieldDisplay, type FieldDisplay } from './field-config.js';
import { record, textOr, type FieldConfigSpec } from './panel-spec.js';

export interface NumberSeries {
  readonly name: string;
  readonly field: FieldJson;
  readonly display: FieldDisplay;
  readonly values: readonly (number | null)[];
  /** The frame's time values (epoch ms), when it has a time field. */
  readonly times: readonly number[] | undefined;
}

export interface AlignedSeries {
  readonly times: readonly number[];
  readonly series: ReadonlyArray<NumberSeries & { readonly aligned: readonly (number | null)[] }>;
}

function labelsName(field: FieldJson): string | undefined {
  const entries = Object.entries(field.labels ?? {});
  if (entries.length === 0) return undefined;
  if (entries.length === 1) return entries[0]![1];
  return entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The name a field is shown with before displayName: its labels, or its name (the frame's name first when names repeat). */
function baseName(field: FieldJson, frame: FrameJson, repeated: boolean): string {
  const fromLabels = labelsName(field);
  if (fromLabels !== undefined) return fromLabels;
  if (repeated && frame.name !== undefined && frame.name !== '') return `${frame.name} ${field.name}`;
  return field.name;
}

export function numberSeries(frames: readonly FrameJson[], fieldConfig: FieldConfigSpec): NumberSeries[] {
  const counts = new Map<string, number>();
  for (const frame of frames) for (const f of frame.fields) if (f.type === 'number') counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  return frames.flatMap((frame) => {
    const time = frame.fields.find((f) => f.type === 'time');
    const times = time?.values.map((v) => asNumber(v) ?? Number.NaN);
    return frame.fields
      .filter((f) => f.type === 'number')
      .map((field) => {
        const shownName = baseName(field, frame, (counts.get(field.name) ?? 0) > 1);
        const display = fieldDisplay(fieldConfig, { name: field.name, shownName, type: field.type, refId: frame.refId });
        return { name: display.displayName ?? shownName, field, display, values: field.values.map(asNumber), times };
      });
  });
}

/** The series with times, on the sorted union of their times. */
export function alignSeries(all: readonly NumberSeries[]): AlignedSeries {
  const timed = all.filter((s) => s.times !== undefined);
  const times = [...new Set(timed.flatMap((s) => s.times!.filter((t) => Number.isFinite(t))))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const series = timed.map((s) => {
    const aligned: (number | null)[] = times.map(() => null);
    s.times!.forEach((t, i) => {
      const at = index.get(t);
      if (at !== undefined) aligned[at] = s.values[i] ?? null;
    });
    return { ...s, aligned };
  });
  return { times, series };
}

/** Where a series stacks: its mode, its direction (down for negative series) and its group (mode, group, unit, direction). */
export interface StackSpec {
  readonly mode: 'normal' | 'percent';
  readonly dir: 1 | -1;
  readonly key: string;
}

/** A uPlot band (series indexes from 1): the fill between a stacked series and the one under it. */
export interface StackBand {
  readonly series: [number, number];
  readonly dir: 1 | -1;
}

export interface Stacked {
  /** The values as drawn: running sums (percent: shares of the total, 0..1) for stacked series, as they are otherwise. */
  readonly values: ReadonlyArray<readonly (number | null)[]>;
  readonly bands: readonly StackBand[];
}

/** The series' stack from custom.stacking (undefined when mode is 'none'); negative series stack downwards, apart. */
export function stackOf(s: NumberSeries): StackSpec | undefined {
  const stacking = record(s.display.custom.stacking);
  const mode = stacking.mode;
  if (mode !== 'normal' && mode !== 'percent') return undefined;
  const first = s.values.find((v) => v !== null && v !== 0);
  const dir = first !== undefined && first !== null && first < 0 ? -1 : 1;
  return { mode, dir, key: `${mode}|${textOr(stacking.group, 'A')}|${s.display.unit}|${dir}` };
}

/**
 * Grafana's stacking of aligned `values` (one array per series, `stacks[i]` its stack): in each group, in series
 * order, the running sum per x, a null counting as 0 while another series of the group has a value at that x (a
 * gap stays a gap where none has); percent divides by the group's total. Series in `hidden` are left out.
 */
export function stackSeries(values: ReadonlyArray<readonly (number | null)[]>, stacks: ReadonlyArray<StackSpec | undefined>, hidden: ReadonlySet<number> = new Set()): Stacked {
  const groups = new Map<string, number[]>();
  stacks.forEach((stack, i) => {
    if (stack !== undefined && !hidden.has(i)) groups.set(stack.key, [...(groups.get(stack.key) ?? []), i]);
  });
  const out: Array<readonly (number | null)[]> = [...values];
  const bands: StackBand[] = [];
  for (const members of groups.values()) {
    const { mode, dir } = stacks[members[0]!]!;
    const length = values[members[0]!]!.length;
    const any = Array.from({ length }, (_, x) => members.some((i) => values[i]![x] !== null && values[i]![x] !== undefined));
    const sum: number[] = Array.from({ length }, () => 0);
    members.forEach((i, k) => {
      out[i] = values[i]!.map((v, x) => (any[x] ? (sum[x]! += v ?? 0) : null));
      if (k > 0) bands.push({ series: [i + 1, members[k - 1]! + 1], dir: dir === 1 ? -1 : 1 });
    });
    if (mode === 'percent') for (const i of members) out[i] = out[i]!.map((v, x) => (v === null ? null : sum[x] === 0 ? 0 : v / Math.abs(sum[x]!)));
  }
  return { values: out, bands };
}
