// The job page's backfill form: its fields POSTed as JSON, the answer (what was queued, or why not) under it.
import { post, queuedText, type Posted } from './actions.js';
import { byId, replace } from './dom.js';
import { h, type Child } from './view/tree.js';

interface BackfillRequest {
  readonly from: string;
  readonly to: string;
  readonly grain: string;
  readonly only?: string;
}

function field(form: HTMLFormElement, name: string): string {
  const element = form.elements.namedItem(name);
  return element instanceof HTMLInputElement || element instanceof HTMLSelectElement ? element.value : '';
}

function request(form: HTMLFormElement): BackfillRequest {
  const only = field(form, 'only');
  return { from: field(form, 'from'), to: field(form, 'to'), grain: field(form, 'grain'), ...(only ? { only } : {}) };
}

/** The result line: what was queued (with a link to those runs) or the error. */
function answer(res: Posted, asked: BackfillRequest, job: string): { ok: boolean; line: Child[] } {
  if (!res.ok) return { ok: false, line: [res.body.error || `failed (HTTP ${res.status})`] };
  const what = `${asked.from} … ${asked.to} (${asked.grain}${asked.only ? `, only ${asked.only}` : ''})`;
  const text = queuedText(res.body, what);
  if ((res.body.runIds ?? []).length === 0) return { ok: true, line: [text] };
  return { ok: true, line: [`${text} `, h('a', { href: `/runs?job=${encodeURIComponent(job)}&trigger=backfill` }, 'see the runs')] };
}

export function installBackfillForm(job: string): void {
  const form = byId('backfill');
  const result = byId('backfill-result');
  if (!(form instanceof HTMLFormElement)) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    const asked = request(form);
    if (submit !== null) submit.disabled = true;
    const show = (ok: boolean, line: Child[]): void => {
      if (submit !== null) submit.disabled = false;
      replace(result, line);
      if (result !== null) result.className = `pc-result ${ok ? 'ok' : 'error'}`;
    };
    post(form.dataset.post ?? '', asked).then(
      (res) => {
        const { ok, line } = answer(res, asked, job);
        show(ok, line);
      },
      (error: unknown) => show(false, [`failed: ${String(error)}`]),
    );
  });
}
