// The HTML pages of the monitoring UI (jobs, job, run, runs): placeholder until the pages land.
import type { Hono } from 'hono';
import type { UiDeps } from '../contract.js';

export function registerPages(app: Hono, _deps: UiDeps): void {
  app.get('/', (c) => c.redirect('/jobs'));
}
