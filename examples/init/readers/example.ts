// A reader of your own: the number an HTTP JSON API answers, as the hourly metric `example.things`.
// Listed under readers.custom in etl.config.json (compiled: ./dist/readers/example.js), it joins `etl read all`;
// `npx etl read example-api` reads it alone. A snapshot: it stamps the current local hour, and has no history.
import { defineReader, source, toDateHour, z } from 'etl-metrics';

export default defineReader({
  name: 'example-api',
  description: 'the count an HTTP JSON API answers, as the hourly metric example.things',
  history: false,
  options: z.strictObject({
    url: z.url({ protocol: /^(https?|data)$/ }),
    field: z.string().min(1).default('count'),
    token: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  }),
  services: () => ({ names: [] }),
  source: (options, window, setup) =>
    source(async function* (ctx) {
      if (!window.isCurrent) return setup.warn('example-api reads current values only: nothing read for a past window');
      const response = await fetch(options.url, {
        headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      if (!response.ok) throw new Error(`the API answered ${response.status} ${response.statusText}`);
      const value = ((await response.json()) as Record<string, unknown>)[options.field];
      if (typeof value !== 'number') throw new Error(`the answer's '${options.field}' is not a number: ${JSON.stringify(value)}`);
      yield { dims: toDateHour(window.now, window.timeZone), metrics: { 'example.things': value } };
    }, 'HTTP JSON API'),
});
