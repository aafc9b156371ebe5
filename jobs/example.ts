// The example job: synthetic page views -> named fields -> bots dropped -> visits and visitors per hour.
// It needs no service, so the engine can be seen working before any reader is configured.
import { filter, graphBuilder, map, reduce, setFields, sink, source, transform } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import { defineJob } from './job.js';

const START = Date.UTC(2026, 0, 1);
const PAGES = ['/', '/pricing', '/docs', '/signup', '/blog'];

/** Deterministic page views over three days: [epoch ms, path, user id, user agent]. */
export function* pageViews(count: number): Generator<readonly [number, string, number, string]> {
  for (let i = 0; i < count; i++) {
    const ts = START + Math.floor((i * 3 * 86_400_000) / count);
    yield [ts, PAGES[(i * 7) % PAGES.length]!, (i * 31) % 250, i % 10 === 0 ? 'Googlebot/2.1' : 'Mozilla/5.0'];
  }
}

interface View { readonly ts: number; readonly path: string; readonly user: number; readonly agent: string }
interface HourBucket { readonly date: string; readonly hour: number; visits: number; readonly users: Set<number> }

export const exampleJob = defineJob<{ views?: number }>({
  name: 'example',
  description: 'Synthetic page views counted per hour (no external service needed)',
  services: [],
  build: ({ views = 30_000 }) => {
    const b = graphBuilder('example');
    b.source('page-views', source(() => pageViews(views), 'generated'))
      .to('fields', setFields(['ts', 'path', 'user', 'agent'] as const))
      .to('drop-bots', filter((row) => !String(row.agent).includes('bot')))
      .to('parse', map((row): View => ({ ts: Number(row.ts), path: String(row.path), user: Number(row.user), agent: String(row.agent) })))
      .to(
        'per-hour',
        reduce((hours: Map<string, HourBucket>, view: View) => {
          const at = new Date(view.ts);
          const date = at.toISOString().slice(0, 10);
          const hour = at.getUTCHours();
          const key = `${date}T${hour}`;
          const bucket = hours.get(key) ?? { date, hour, visits: 0, users: new Set<number>() };
          bucket.visits += 1;
          bucket.users.add(view.user);
          hours.set(key, bucket);
          return hours;
        }, () => new Map<string, HourBucket>()),
      )
      .to('to-metrics', transform(toMetricRows))
      .to('print', sink(printRow, 'stdout'));
    return b.build();
  },
});

function* toMetricRows(hours: Map<string, HourBucket>): Generator<MetricRow> {
  for (const { date, hour, visits, users } of hours.values()) {
    yield { dims: { date, hour }, metrics: { 'example.visits': visits, 'example.visitors': users.size } };
  }
}

function printRow(row: MetricRow): void {
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
