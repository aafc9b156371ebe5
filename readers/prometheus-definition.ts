// The prometheus reader's definition: its options (a server and PromQL queries) and its client, made here.
import { z } from 'zod';
import { defineReader } from './define-reader.js';
import { createPrometheusClient, DEFAULT_PROMETHEUS_SERVICE, DEFAULT_PROMETHEUS_TIMEOUT_MS } from './prometheus-client.js';
import { checkPrometheusMetrics, prometheusReader } from './prometheus.js';

export const prometheusOptions = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).meta({ description: 'base URL of the server; credentials in it (user:password@) are sent as basic auth, never printed' }),
  bearerToken: z.string().min(1).optional().meta({ description: 'sent as `Authorization: Bearer <token>` (write it as ${VAR}); never printed' }),
  timeoutMs: z.number().int().positive().optional().meta({ description: 'one query, in milliseconds', default: String(DEFAULT_PROMETHEUS_TIMEOUT_MS) }),
  hourly: z.boolean().optional().meta({ description: 'false: no hourly values from any query', default: 'true' }),
  daily: z.boolean().optional().meta({ description: 'false: no daily values from any query', default: 'true' }),
  metrics: z.array(
    z.strictObject({
      name: z.string().meta({ description: 'metric name template: `http.requests.{site}`; placeholders are label names of the result series' }),
      query: z.string().meta({ description: 'PromQL for hourly values (and daily ones when it contains {range} and no dailyQuery is given); {range} becomes the bucket\'s length' }),
      dailyQuery: z.string().optional().meta({ description: 'PromQL for daily values; must contain {range} (the local day\'s length, e.g. 24h)', default: 'query, when it contains {range}' }),
      hourly: z.boolean().optional().meta({ description: 'false: no hourly values for this entry', default: 'true' }),
      daily: z.boolean().optional().meta({ description: 'false: no daily values for this entry (they need {range} in dailyQuery or query)', default: 'true' }),
      combine: z.enum(['sum', 'error']).optional().meta({ description: 'two series of one metric name in one bucket: "sum" adds them (counts, rates; both entries must say it), "error" reports both and writes neither', default: 'error' }),
    }),
  ).meta({ description: 'the PromQL queries, each { name, query }, at least one' }),
}).superRefine((options, ctx) => {
  // The queries' rules (names, templates, {range}, something to produce) are the reader's own.
  try {
    checkPrometheusMetrics(options);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^prometheus reader: /, '') });
  }
});

export const prometheusDefinition = defineReader({
  name: 'prometheus',
  description: 'promQL queries evaluated per local hour and day ({range} = the bucket length)',
  options: prometheusOptions,
  history: true,
  enable: 'set readers.prometheus.url and readers.prometheus.metrics in etl.config.json',
  services: ({ url, bearerToken, timeoutMs }) => ({
    names: [DEFAULT_PROMETHEUS_SERVICE],
    providers: {
      [DEFAULT_PROMETHEUS_SERVICE]: { create: () => createPrometheusClient({ url, ...(bearerToken ? { bearerToken } : {}), ...(timeoutMs ? { timeoutMs } : {}) }) },
    },
  }),
  source: ({ metrics, hourly, daily }, window) =>
    prometheusReader({ window, metrics, service: DEFAULT_PROMETHEUS_SERVICE, ...(hourly === undefined ? {} : { hourly }), ...(daily === undefined ? {} : { daily }) }),
});
