// Failure and recovery alerts: a Slack-compatible JSON POST to a webhook, once per transition of a job
// (failed after its last attempt; then succeeded again), never per attempt, nothing secret in the body.
//
// State: per job, in this process's memory. A job this process has not seen yet gets its state from the run
// store, once: the most recent finished run of the job before this one (of its last 5 records) that is
// succeeded, or failed on its last attempt (attempt > the schedule's retries); skipped and cancelled runs
// and failed attempts that were to be retried are passed over; none of them (or a store that cannot be
// read): not failed. So a restarted scheduler does not re-alert a failure it alerted before, and still
// sends the recovery. Several processes (BullMQ workers) each keep their own state.
import { maskText, maskUrl, urlSecrets } from '../secrets/mask.js';
import type { AlertSink, FinalOutcome } from '../execution/final-outcome.js';
import type { RunStore } from '../runs/run-store.js';

export type AlertEvent = 'failure' | 'recovery';
export const ALERT_EVENTS: readonly AlertEvent[] = ['failure', 'recovery'];
export const DEFAULT_ALERT_TIMEOUT_MS = 5_000;

/** The JSON body posted (Slack reads `text`; the other fields are for other receivers). */
export interface AlertBody {
  readonly text: string;
  readonly job: string;
  readonly runId: number | null;
  readonly status: 'failed' | 'recovered';
  readonly window?: { readonly from: string; readonly to: string };
  readonly error?: string;
  readonly url?: string;
}

export interface WebhookAlertOptions {
  /** http(s) URL; never logged nor sent in a body. */
  readonly webhook: string;
  /** Which transitions are sent (default both). */
  readonly on?: readonly AlertEvent[];
  /** How long a POST may take (default 5 s). */
  readonly timeoutMs?: number;
  /** The web UI's public base URL: the body links to `${publicUrl}/runs/${runId}`. */
  readonly publicUrl?: string;
  /** The run store, to know the last state of a job this process has not seen yet. */
  readonly store?: Pick<RunStore, 'list'>;
  /** More strings to keep out of bodies (passwords of the configuration). */
  readonly secrets?: readonly string[];
}

type JobState = 'failed' | 'ok';

/** The first line of an error text. */
function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** The body of the alert for `outcome` ('failed' or 'recovered'), every text masked. */
export function alertBody(outcome: FinalOutcome, kind: 'failed' | 'recovered', options: { readonly publicUrl?: string; readonly secrets?: readonly string[] } = {}): AlertBody {
  const mask = (text: string): string => maskText(text, options.secrets ?? []);
  const job = mask(outcome.job);
  const run = outcome.runId === undefined ? 'no run record' : `run ${outcome.runId}`;
  const error = outcome.error === undefined ? undefined : mask(firstLine(outcome.error));
  let text: string;
  if (kind === 'failed') {
    const notRetried = outcome.retryable === false && outcome.attempt < outcome.attempts ? ', not retryable' : '';
    text = `:red_circle: etl job '${job}' failed (${run}, attempt ${outcome.attempt} of ${outcome.attempts}${notRetried})${error === undefined ? '' : `: ${error}`}`;
  } else {
    text = `:large_green_circle: etl job '${job}' recovered (${run})`;
  }
  const base = options.publicUrl?.replace(/\/+$/, '');
  return {
    text,
    job,
    runId: outcome.runId ?? null,
    status: kind,
    ...(outcome.window === undefined ? {} : { window: { from: new Date(outcome.window.from).toISOString(), to: new Date(outcome.window.to).toISOString() } }),
    ...(kind === 'failed' && error !== undefined ? { error } : {}),
    ...(base === undefined || outcome.runId === undefined ? {} : { url: maskUrl(`${base}/runs/${outcome.runId}`) }),
  };
}

/** Where the webhook points, for messages: scheme and host only (a Slack webhook's path is its secret). */
function webhookHost(webhook: string): string {
  try {
    const url = new URL(webhook);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Every part of the webhook URL that must not show in a message: its password, path, query. */
function webhookSecrets(webhook: string): string[] {
  const found = urlSecrets(webhook);
  try {
    const url = new URL(webhook);
    for (const part of [url.pathname, url.search, url.hash]) if (part.length > 1) found.push(part);
    found.push(url.href, webhook);
  } catch {
    found.push(webhook);
  }
  return found;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : undefined;
    return detail === undefined ? error.message : `${error.message} (${detail})`;
  }
  return String(error);
}

/** The state a job had before run `runId`, read from the store (see the header). */
async function storedState(store: Pick<RunStore, 'list'> | undefined, job: string, runId: number | undefined, retries: number): Promise<JobState> {
  if (store === undefined) return 'ok';
  try {
    for (const record of await store.list({ job, limit: 5 })) {
      if (runId !== undefined && record.id >= runId) continue;
      if (record.status === 'succeeded') return 'ok';
      if (record.status === 'failed' && record.attempt > retries) return 'failed';
    }
  } catch {
    // The store cannot be read: as if the job had not failed (a failure is alerted, a recovery may be missed).
  }
  return 'ok';
}

/** POSTs a JSON body to a webhook within a timeout; errors say the host only, every secret masked. */
export function webhookPoster(options: { readonly webhook: string; readonly timeoutMs?: number; readonly secrets?: readonly string[] }): (body: unknown) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_ALERT_TIMEOUT_MS;
  const secrets = [...(options.secrets ?? []), ...webhookSecrets(options.webhook)];
  const where = webhookHost(options.webhook);
  return async (body: unknown): Promise<void> => {
    let response: Response;
    try {
      response = await fetch(options.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Error(maskText(`alert webhook ${where}: ${describe(error) === 'timed out' ? `no answer within ${timeoutMs} ms` : describe(error)}`, secrets));
    }
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new Error(`alert webhook ${where} answered ${response.status}${response.statusText === '' ? '' : ` ${maskText(response.statusText, secrets)}`}`);
  };
}

/** Posts failure and recovery alerts to `options.webhook`. */
export function webhookAlerts(options: WebhookAlertOptions): AlertSink {
  const on = new Set(options.on ?? ALERT_EVENTS);
  const secrets = [...(options.secrets ?? []), ...webhookSecrets(options.webhook)];
  /** Per job, its state after the last outcome decided (a chain: outcomes of a job are decided in order). */
  const states = new Map<string, Promise<JobState>>();

  const post = webhookPoster({ webhook: options.webhook, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), secrets });

  return {
    async notify(outcome) {
      const retries = Math.max(0, outcome.attempts - 1);
      const before = states.get(outcome.job) ?? storedState(options.store, outcome.job, outcome.runId, retries);
      const decided = before.then((previous) => {
        const next: JobState = outcome.status === 'failed' ? 'failed' : 'ok';
        const kind: 'failed' | 'recovered' | undefined = previous !== 'failed' && next === 'failed' ? 'failed' : previous === 'failed' && next === 'ok' ? 'recovered' : undefined;
        return { next, kind };
      });
      states.set(outcome.job, decided.then((d) => d.next));
      const { kind } = await decided;
      if (kind === undefined || !on.has(kind === 'failed' ? 'failure' : 'recovery')) return;
      await post(alertBody(outcome, kind, { ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }), secrets }));
    },
  };
}
