// The prometheus reader's definition: its options (a server and PromQL queries) and its client, made here.
import { z } from 'zod';
import { defineReader } from './define-reader.js';
import { createPrometheusClient, DEFAULT_PROMETHEUS_SERVICE } from './prometheus-client.js';
import { checkPrometheusMetrics, prometheusReader } from './prometheus.js';

export const prometheusOptions = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).meta({ description: 'base URL of the server; credentials in it (user:password@) are sent as basic auth, never printed' }),
  bearerToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
  hourly: z.boolean().optional(),
  daily: z.boolean().optional(),
  metrics: z.array(
    z.strictObject({
      name: z.string(),
      query: z.string(),
      dailyQuery: z.string().optional(),
      hourly: z.boolean().optional(),
      daily: z.boolean().optional(),
      combine: z.enum(['sum', 'error']).optional().meta({ description: 'two series of one metric name in one bucket: "sum" adds them (counts, rates), "error" (default) reports both' }),
    }),
  ),
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
