// Alerts of check transitions: one Slack-compatible JSON body per (check, metric) that starts failing or
// passes again, with its bucket, value, expected band, reason and a link; posted through an injected poster
// (monitoring/alerts.ts's webhook, wired by runtime/), so this room sends nothing itself.
import type { CheckAlertSink, CheckTransition } from './transitions.js';

export interface CheckAlertBody {
  readonly text: string;
  readonly check: string;
  readonly metric: string;
  readonly status: 'failed' | 'recovered';
  /** The latest judged bucket: local date, hour (24: the day) and its start instant. */
  readonly bucket: { readonly date: string; readonly hour: number; readonly start: string };
  readonly value: number | null;
  readonly expected: { readonly low: number | null; readonly high: number | null };
  readonly score: number | null;
  readonly reason: string;
  readonly url?: string;
}

const round = (n: number | null): string => (n === null ? '-' : String(Math.round(n * 100) / 100));

/** The body of one transition's alert; `publicUrl` gives the link to the web UI's checks page of the metric. */
export function checkAlertBody(transition: CheckTransition, publicUrl?: string): CheckAlertBody {
  const r = transition.result;
  const bucket = r.hour === 24 ? r.date : `${r.date} ${String(r.hour).padStart(2, '0')}:00`;
  const band = r.expectedLow === null && r.expectedHigh === null ? '' : `, expected ${round(r.expectedLow)}..${round(r.expectedHigh)}`;
  const text = transition.kind === 'failed'
    ? `:red_circle: check '${r.check}' fails on ${r.metric} at ${bucket}: value ${round(r.value)}${band} (${r.reason})`
    : `:large_green_circle: check '${r.check}' passes again on ${r.metric} at ${bucket}: value ${round(r.value)}${band}`;
  const base = publicUrl?.replace(/\/+$/, '');
  return {
    text,
    check: r.check,
    metric: r.metric,
    status: transition.kind,
    bucket: { date: r.date, hour: r.hour, start: r.bucketStart.toISOString() },
    value: r.value,
    expected: { low: r.expectedLow, high: r.expectedHigh },
    score: r.score,
    reason: r.reason,
    ...(base === undefined ? {} : { url: `${base}/checks?check=${encodeURIComponent(r.check)}&metric=${encodeURIComponent(r.metric)}` }),
  };
}

/** A sink posting one body per transition, in order; the first failure to post rejects (the rest are not sent). */
export function postedCheckAlerts(post: (body: CheckAlertBody) => Promise<void>, options: { readonly publicUrl?: string | undefined } = {}): CheckAlertSink {
  return {
    async notify(transitions) {
      for (const transition of transitions) await post(checkAlertBody(transition, options.publicUrl));
    },
  };
}
