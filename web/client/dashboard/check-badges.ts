// A panel's failing checks (PanelDataJson.checks) as red badges in its header, each linking to the check's page
// for that metric; box[data-check-failing] 'true' while it has one, data-checks the number of them.
import type { PanelDataJson } from '../view/dashboard-wire.js';
import { checkPath } from '../view/checks-wire.js';
import { utcText } from '../view/format.js';

/** Replaces `box`'s check badges by those of `data` (none: the badges go). */
export function markFailingChecks(box: HTMLElement, data: Pick<PanelDataJson, 'checks'>): void {
  for (const old of box.querySelectorAll('a.panel-check')) old.remove();
  const checks = data.checks ?? [];
  box.dataset.checks = String(checks.length);
  if (checks.length === 0) {
    delete box.dataset.checkFailing;
    return;
  }
  box.dataset.checkFailing = 'true';
  const head = box.querySelector('.panel-head');
  for (const c of checks) {
    const a = document.createElement('a');
    a.className = 'panel-check';
    a.href = checkPath(c.check, c.metric);
    a.textContent = `check failing: ${c.check} on ${c.metric}`;
    a.title = `${utcText(c.bucketStart)}: ${c.reason}`;
    a.dataset.check = c.check;
    a.dataset.metric = c.metric;
    (head ?? box).append(a);
  }
}
