// The configuration's `alerts` turned into the firing handler's alert sink (a webhook), or none.
import type { LoadedConfig } from '../config/index.js';
import { webhookAlerts } from '../monitoring/alerts.js';
import { type AlertSink } from '../execution/final-outcome.js';
import type { RunStore } from '../runs/run-store.js';

/** The webhook sink of `config.file.alerts`, reading the last state of jobs from `store`; undefined when not configured. */
export function alertSinkFor(config: LoadedConfig, store: Pick<RunStore, 'list'>): AlertSink | undefined {
  const alerts = config.file.alerts;
  if (alerts === undefined) return undefined;
  return webhookAlerts({
    webhook: alerts.webhook,
    on: alerts.on,
    timeoutMs: alerts.timeout,
    store,
    ...(alerts.publicUrl === undefined ? {} : { publicUrl: alerts.publicUrl }),
  });
}
