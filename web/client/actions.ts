// The actions of the pages: POSTs with the `X-ETL-UI: 1` header (the server's CSRF guard wants it), sent by
// any `button[data-post]` (its data-kind says what the answer means) and by the backfill form.
import { say } from './dom.js';

/** What the action answers hold, all fields optional (each action sends some). */
export interface ActionAnswer {
  readonly error?: string;
  readonly runId?: number;
  readonly job?: string;
  readonly paused?: boolean;
  readonly result?: string;
  readonly runIds?: readonly number[];
  readonly by?: string;
  readonly reason?: string;
}

export interface Posted {
  readonly ok: boolean;
  readonly status: number;
  readonly body: ActionAnswer;
}

export async function post(url: string, data?: unknown): Promise<Posted> {
  const headers: Record<string, string> = { 'X-ETL-UI': '1', 'Accept': 'application/json' };
  if (data !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', ...(data === undefined ? {} : { body: JSON.stringify(data) }) });
  const body: ActionAnswer = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, body };
}

/** 'queued 3 runs of <what> for the scheduler (#4–#6)', or why nothing was. */
export function queuedText(answer: ActionAnswer, what?: string): string {
  const ids = answer.runIds ?? [];
  if (ids.length === 0) return `nothing to run${answer.reason ? `: ${answer.reason}` : ''}`;
  const n = ids.length;
  const range = `#${ids[0]}${n > 1 ? `–#${ids[n - 1]}` : ''}`;
  return `queued ${n} run${n === 1 ? '' : 's'}${what ? ` of ${what}` : ''} for the ${answer.by === 'worker' ? 'workers' : 'scheduler'} (${range})`;
}

/** The job page's Pause becomes Resume (and back) once the answer says so. */
function togglePause(button: HTMLButtonElement, answer: ActionAnswer): void {
  const base = `/api/jobs/${encodeURIComponent(answer.job ?? '')}`;
  button.dataset.kind = answer.paused ? 'resume' : 'pause';
  button.dataset.post = `${base}/${answer.paused ? 'resume' : 'pause'}`;
  button.textContent = answer.paused ? 'Resume' : 'Pause';
}

function report(button: HTMLButtonElement, answer: ActionAnswer, page: string | undefined): void {
  const kind = button.dataset.kind;
  if (kind === 'trigger') say(`run #${answer.runId} started`, false, `/runs/${answer.runId}`);
  else if (kind === 'pause' || kind === 'resume') {
    say(`${answer.job}${answer.paused ? ' paused' : ' resumed'}`);
    if (page === 'job') togglePause(button, answer);
  } else if (kind === 'cancel') say(`cancel: ${answer.result}`);
  else if (kind === 'rerun') {
    const key = button.dataset.key ?? '';
    const only = answer.runIds?.length === 1 ? answer.runIds[0] : undefined;
    if (only !== undefined) say(`re-run of ${key}: run #${only} queued`, false, `/runs/${only}`);
    else say(queuedText(answer, key));
  }
}

/** Every `button[data-post]` of the page, now and later: POST, then say what happened and call `after`. */
export function installActions(page: string | undefined, after: () => void): void {
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-post]') : null;
    if (button === null) return;
    event.preventDefault();
    button.disabled = true;
    post(button.dataset.post ?? '').then(
      (res) => {
        button.disabled = false;
        if (!res.ok) say(res.body.error || `failed (HTTP ${res.status})`, true);
        else {
          report(button, res.body, page);
          after();
        }
      },
      (error: unknown) => {
        button.disabled = false;
        say(`failed: ${String(error)}`, true);
      },
    );
  });
}
