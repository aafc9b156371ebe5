// The browser side of the controls (controls-view.ts): a range preset, a custom from/to, a variable's new value
// each make the next URL query; the form is re-rendered from the dashboard's answer (a query variable's options
// may change), its listeners on the form itself so they outlive its content.
import { replace } from '../dom.js';
import type { DashboardJson } from '../view/dashboard-wire.js';
import { controlsView, presetOf } from './controls-view.js';
import { currentQuery, pushQuery, withRange, withVariable } from './url-state.js';

/** 'YYYY-MM-DDTHH:mm' in local time, as a datetime-local input holds it. */
function localInput(ms: number): string {
  const shifted = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

function input(form: HTMLFormElement, name: string): HTMLInputElement | null {
  return form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
}

function showCustom(form: HTMLFormElement, show: boolean): void {
  for (const el of form.querySelectorAll<HTMLElement>('.custom-range')) el.hidden = !show;
}

/** The form's controls for `dashboard` (its range's custom inputs in local time). */
export function renderControls(form: HTMLFormElement, dashboard: Pick<DashboardJson, 'range' | 'variables'>): void {
  replace(form, controlsView(dashboard).children);
  fillCustom(form, dashboard.range);
}

function fillCustom(form: HTMLFormElement, range: DashboardJson['range']): void {
  const from = input(form, 'from-at');
  const to = input(form, 'to-at');
  if (from !== null) from.value = localInput(range.fromMs);
  if (to !== null) to.value = localInput(range.toMs);
  showCustom(form, presetOf(range) === 'custom');
}

function customRange(form: HTMLFormElement, query: URLSearchParams): URLSearchParams | undefined {
  const from = new Date(input(form, 'from-at')?.value ?? '').getTime();
  const to = new Date(input(form, 'to-at')?.value ?? '').getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) return undefined;
  return withRange(query, String(from), String(to));
}

function variableChange(target: HTMLInputElement | HTMLSelectElement, query: URLSearchParams): URLSearchParams {
  const name = target.dataset.var ?? '';
  const values = target instanceof HTMLSelectElement ? [...target.selectedOptions].map((o) => o.value) : [target.value];
  return withVariable(query, name, values);
}

/**
 * Wires `form`: `change(query)` gets the next query when the user picks a range or a variable; `query()` is the
 * page's current one.
 */
export function installControls(form: HTMLFormElement, query: () => URLSearchParams, change: (next: URLSearchParams) => void): void {
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    if (target.name === 'range') {
      if (target.value === 'custom') showCustom(form, true);
      else change(withRange(query(), target.value, 'now'));
      return;
    }
    if (target.dataset.var !== undefined) change(variableChange(target, query()));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = customRange(form, query());
    if (next !== undefined && !input(form, 'from-at')?.closest<HTMLElement>('.custom-range')?.hidden) change(next);
  });
}

/** A page's range in the URL: a pick on `form` pushes the next query and calls `reload`; back and forward reload too. */
export function reloadOnQueryChange(form: HTMLFormElement | null, reload: () => void): void {
  if (form !== null) {
    installControls(form, currentQuery, (next) => {
      pushQuery(next);
      reload();
    });
  }
  window.addEventListener('popstate', reload);
}
