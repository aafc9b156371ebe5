// prometheus reader, unit: two series whose names fill to one metric name in one bucket ('Shop' and 'shop').
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { backfillWindow } from '../metrics/window.js';
import { readSourceDirect } from '../test/support/node-testing.js';
import type { PrometheusClient } from './prometheus-client.js';
import { prometheusReader, type PrometheusMetricQuery } from './prometheus.js';

const H = 3_600_000;
const FROM = Date.UTC(2026, 2, 28, 10);
const window = backfillWindow(FROM, FROM + 2 * H, 'UTC', Date.UTC(2026, 10, 22));

/** Series per query: labels and the value at each evaluation instant (epoch ms); instants not listed have none. */
type Canned = Record<string, Array<{ labels: Record<string, string>; at: Record<number, number> }>>;

/** A client answering range queries from `canned` as Prometheus' raw API JSON does. */
function client(canned: Canned): PrometheusClient {
  const answer = (query: string, start: number, end: number, stepMs: number) => ({
    resultType: 'matrix',
    result: (canned[query] ?? []).map(({ labels, at }) => {
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end; t += stepMs) if (at[t] !== undefined) values.push([t / 1000, String(at[t])]);
      return { metric: labels, values };
    }),
  });
  return {
    rangeQuery: async (query, start, end, step) => answer(query, start, end, step * 1000),
    instantQuery: async (query, time) => answer(query, time, time, 1),
  };
}

const SITES: Canned = {
  'requests[1h]': [
    { labels: { site: 'Shop' }, at: { [FROM + H]: 1, [FROM + 2 * H]: 1 } },
    { labels: { site: 'shop' }, at: { [FROM + H]: 2 } }, // only in the first hour
  ],
  'errors[1h]': [{ labels: { code: '500' }, at: { [FROM + H]: 7 } }],
};

const read = async (metrics: PrometheusMetricQuery[], canned: Canned = SITES) =>
  readSourceDirect(prometheusReader({ window, metrics, daily: false }), { prometheus: client(canned) });
const messages = (errors: unknown[]) => errors.map((e) => (e as Error).message);

describe('prometheus reader: two series of one metric name', () => {
  it('by default reports both series and writes neither in the buckets they share; other buckets keep their value', async () => {
    const { rows, errors } = await read([{ name: 'http.requests.{site}', query: 'requests[{range}]' }]);
    expect(rows).toEqual([{ dims: { date: '2026-03-28', hour: 11 }, metrics: { 'http.requests.shop': 1 } }]);
    expect(messages(errors)).toEqual([
      `reader 'prometheus': metric 'http.requests.shop' is given by series {site="Shop"} of entry 'http.requests.{site}' and by series {site="shop"} ` +
        `of entry 'http.requests.{site}' in 1 hourly bucket (first 2026-03-28 hour 10): left out there ` +
        `(set "combine": "sum" on both entries when their values add up: counts, increases, rates)`,
    ]);
  });

  it('with combine "sum" adds them', async () => {
    const { rows, errors } = await read([{ name: 'http.requests.{site}', query: 'requests[{range}]', combine: 'sum' }]);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { dims: { date: '2026-03-28', hour: 10 }, metrics: { 'http.requests.shop': 3 } },
      { dims: { date: '2026-03-28', hour: 11 }, metrics: { 'http.requests.shop': 1 } },
    ]);
  });

  it('two entries giving one name add up only when both say "sum"', async () => {
    const entries = (combine: 'sum' | 'error'): PrometheusMetricQuery[] => [
      { name: 'http.{site}', query: 'requests[{range}]', combine: 'sum' },
      { name: 'http.{code}', query: 'errors[{range}]', combine },
    ];
    const canned: Canned = { ...SITES, 'errors[1h]': [{ labels: { code: 'shop' }, at: { [FROM + H]: 7 } }] };
    const summed = await read(entries('sum'), canned);
    expect(summed.errors).toEqual([]);
    expect(summed.rows[0]).toEqual({ dims: { date: '2026-03-28', hour: 10 }, metrics: { 'http.shop': 10 } });
    const refused = await read(entries('error'), canned);
    expect(refused.rows).toEqual([{ dims: { date: '2026-03-28', hour: 11 }, metrics: { 'http.shop': 1 } }]);
    expect(messages(refused.errors)).toEqual([expect.stringContaining(`metric 'http.shop' is given by series {site="Shop"} of entry 'http.{site}' and by series {code="shop"} of entry 'http.{code}'`)]);
  });

  it('checks the rule when built', () => {
    const bad = { name: 'x.{site}', query: 'requests[{range}]', combine: 'avg' } as unknown as PrometheusMetricQuery;
    expect(() => prometheusReader({ window, metrics: [bad] })).toThrow(ConfigError);
    expect(() => prometheusReader({ window, metrics: [bad] })).toThrow(/metrics\[0\] \('x.\{site\}'\): 'combine' must be "sum" or "error"/);
  });
});
