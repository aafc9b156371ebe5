// A metric chart's data from its two frames (A: the range, B: the period before moved forward): the union of
// their times, ascending, each series' value at each time (null where it has none). The chart draws exactly
// this, and the CSV download (web/explorer-api.ts) writes exactly this.
import type { FrameJson } from '../view/dashboard-wire.js';

export interface AlignedPair {
  readonly times: readonly number[];
  readonly value: readonly (number | null)[];
  readonly previous: readonly (number | null)[];
}

interface Points {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

function pointsOf(frame: FrameJson | undefined): Points {
  const time = frame?.fields.find((f) => f.type === 'time');
  const number = frame?.fields.find((f) => f.type === 'number');
  if (time === undefined || number === undefined) return { times: [], values: [] };
  return { times: time.values.map(Number), values: number.values.map((v) => (typeof v === 'number' ? v : null)) };
}

/** The frames of refId A and B on the union of their times. */
export function alignPair(frames: readonly FrameJson[]): AlignedPair {
  const current = pointsOf(frames.find((f) => f.refId === 'A'));
  const before = pointsOf(frames.find((f) => f.refId === 'B'));
  const times = [...new Set([...current.times, ...before.times])].filter(Number.isFinite).sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const place = (p: Points): (number | null)[] => {
    const out: (number | null)[] = times.map(() => null);
    p.times.forEach((t, i) => {
      const index = at.get(t);
      if (index !== undefined) out[index] = p.values[i] ?? null;
    });
    return out;
  };
  return { times, value: place(current), previous: place(before) };
}
