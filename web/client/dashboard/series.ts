// From data frames to series: every number field with its name as shown (displayName, else its labels' values,
// else its name), its display settings, its values and its frame's times; and the series aligned on the union of
// their times (null where a series has no value: a gap in the chart), the x values uPlot takes.
import type { FieldJson, FrameJson } from '../view/dashboard-wire.js';
import { fieldDisplay, type FieldDisplay } from './field-config.js';
import type { FieldConfigSpec } from './panel-spec.js';

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
