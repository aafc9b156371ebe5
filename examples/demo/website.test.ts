import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricRow } from '../../metrics/row.js';
import { toDateHour } from '../../metrics/time.js';
import { backfillWindow, currentWindow } from '../../metrics/window.js';
import { eventsReader } from '../../readers/events.js';
import { objectsReader } from '../../readers/objects.js';
import { readRows } from '../../test/support/read-rows.js';
import type { SqlClient } from '../../readers/sql-client.js';
import { spidersReader } from '../../readers/spiders.js';
import { demoEvents, type DemoEvent } from './generate.js';
import { DEMO_SEED, DEMO_WEBSITE_SERVICE, demoReaders, openDemoWebsite } from './index.js';
import { pgliteTemplateDir } from '../../embedded/pglite-template.js';

const TZ = 'Europe/Paris';
const NOW = Date.UTC(2026, 10, 20, 14, 37, 12); // 15:37 in Paris
const HOUR_MS = 3_600_000;
// Figures of the demo data (seed 42) at NOW.
const SPIDERS_ACTIVE = 7;

async function fingerprint(db: PGlite, from = 0): Promise<unknown> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT md5(string_agg(concat_ws(',', id, plan, created_at), ';' ORDER BY id)) FROM users) AS users_md5,
            (SELECT md5(string_agg(concat_ws(',', id, user_id, created_at, revoked_at), ';' ORDER BY id)) FROM api_keys) AS keys_md5,
            (SELECT md5(string_agg(concat_ws(',', spider, status, updated_at), ';' ORDER BY spider)) FROM spider_status) AS spiders_md5,
            (SELECT count(*)::int FROM events WHERE created_at >= $1) AS events,
            (SELECT md5(string_agg(concat_ws(',', created_at, event, user_id, duration_ms), ';' ORDER BY created_at, event, user_id, duration_ms)) FROM events WHERE created_at >= $1) AS events_md5`,
    [new Date(from).toISOString()],
  );
  return rows[0];
}

/** percentile_cont as PostgreSQL computes it. */
function percentile(sorted: readonly number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const first = sorted[lo]!;
  return lo + 1 < sorted.length ? first + (sorted[lo + 1]! - first) * (pos - lo) : first;
}

/** The events reader's figures for `events`, computed in JS (bucketing with metrics/time, not SQL). */
function expected(events: readonly DemoEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  const byName = new Map<string, DemoEvent[]>();
  for (const e of events) byName.set(e.event, [...(byName.get(e.event) ?? []), e]);
  for (const [name, list] of byName) {
    out[`events.${name}.count`] = list.length;
    out[`events.${name}.users`] = new Set(list.map((e) => e.userId).filter((u) => u !== null)).size;
    const durations = list.map((e) => e.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
    if (durations.length > 0) {
      out[`events.${name}.duration_avg`] = durations.reduce((s, d) => s + d, 0) / durations.length;
      out[`events.${name}.duration_p50`] = percentile(durations, 0.5);
      out[`events.${name}.duration_p95`] = percentile(durations, 0.95);
    }
  }
  return out;
}

describe('demo website database', () => {
  let root: string;
  let db: PGlite;
  const firstOpen: string[] = [];
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'etl-demo-'));
    db = await openDemoWebsite({ dir: join(root, 'website'), now: NOW, onProgress: (m) => firstOpen.push(m) });
  });
  afterAll(async () => {
    await db.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('is a SqlClient seeded with users, keys, spiders and three weeks of events up to now', async () => {
    const client: SqlClient = db;
    const { rows } = await client.query<{ users: number; keys: number; spiders: number; events: number; first: Date; last: Date }>(
      `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM api_keys) AS keys, (SELECT count(*)::int FROM spider_status) AS spiders,
              (SELECT count(*)::int FROM events) AS events, (SELECT min(created_at) FROM events) AS first, (SELECT max(created_at) FROM events) AS last`,
    );
    const row = rows[0]!;
    expect({ users: row.users, keys: row.keys, spiders: row.spiders }).toEqual({ users: 500, keys: 320, spiders: 12 });
    expect(row.events).toBe(demoEvents(DEMO_SEED, NOW - 21 * 24 * HOUR_MS - (NOW % HOUR_MS), NOW).length);
    expect(row.events).toBeGreaterThan(20_000);
    expect(row.first.getTime()).toBeGreaterThanOrEqual(NOW - 21 * 24 * HOUR_MS - HOUR_MS);
    expect(row.last.getTime()).toBeLessThan(NOW);
    expect(NOW - row.last.getTime()).toBeLessThan(5 * 60_000);
  });

  it('holds exactly the generated events: the same rows, so the same count on every UTC day', async () => {
    const generated = demoEvents(DEMO_SEED, NOW - 21 * 24 * HOUR_MS - (NOW % HOUR_MS), NOW);
    const perDay = (times: readonly number[]) => {
      const counts: Record<string, number> = {};
      for (const t of times) {
        const day = new Date(t).toISOString().slice(0, 10);
        counts[day] = (counts[day] ?? 0) + 1;
      }
      return counts;
    };
    const { rows } = await db.query<{ created_at: Date; event: string; user_id: number | null; duration_ms: number | null }>(
      'SELECT created_at, event, user_id, duration_ms FROM events ORDER BY id',
    );
    expect(Object.keys(perDay(generated.map((e) => e.createdAt)))).toHaveLength(22);
    expect(perDay(rows.map((r) => r.created_at.getTime()))).toEqual(perDay(generated.map((e) => e.createdAt)));
    expect(rows.map((r) => ({ createdAt: r.created_at.getTime(), event: r.event, userId: r.user_id, durationMs: r.duration_ms }))).toEqual(generated);
  });

  it('says what it does on the first open only, and leaves a template for the next database', async () => {
    expect(firstOpen).toHaveLength(2);
    expect(firstOpen[0]).toBe(`first run: creating the demo website database in ${join(root, 'website')} (once, ~4 s)`);
    expect(firstOpen[1]).toMatch(/^demo website database ready \(\d+\.\ds\)$/);
    expect(existsSync(join(pgliteTemplateDir(root), 'PG_VERSION'))).toBe(true);
    const again: string[] = [];
    await db.close();
    db = await openDemoWebsite({ dir: join(root, 'website'), now: NOW, onProgress: (m) => again.push(m) });
    expect(again).toEqual([]);
  });

  it('feeds the objects, spiders and events readers the expected figures', async () => {
    const window = currentWindow(NOW, TZ);
    const options = demoReaders(window);
    const services = { [DEMO_WEBSITE_SERVICE]: db };

    const objects = await readRows(objectsReader(options.objects), services);
    expect(objects.rows).toEqual([{ dims: { date: '2026-11-20', hour: 15 }, metrics: { 'objects.users.count': 500, 'objects.paying_users.count': 92, 'objects.api_keys.count': 285 } }]);

    const spiders = await readRows(spidersReader(options.spiders), services);
    expect(spiders.rows).toEqual([{ dims: { date: '2026-11-20', hour: 15 }, metrics: { 'spider.total': 10, 'spider.active': SPIDERS_ACTIVE, 'spider.idle': 9 - SPIDERS_ACTIVE } }]);

    const events = await readRows(eventsReader(options.events), services);
    expect(events.run.status).toBe('succeeded');
    const today = demoEvents(DEMO_SEED, window.hours.from - 15 * HOUR_MS, NOW);
    expect(today.every((e) => toDateHour(e.createdAt, TZ).date === '2026-11-20')).toBe(true);
    const inHour = (hour: number) => today.filter((e) => toDateHour(e.createdAt, TZ).hour === hour);
    const zeros = Object.fromEntries(['api_call', 'export', 'login', 'page_view', 'search', 'signup'].flatMap((n) => [[`events.${n}.count`, 0], [`events.${n}.users`, 0]]));
    expect(events.rows).toEqual<MetricRow[]>([
      { dims: { date: '2026-11-20', hour: 14 }, metrics: { ...zeros, ...expected(inHour(14)) } },
      { dims: { date: '2026-11-20', hour: 15 }, metrics: { ...zeros, ...expected(inHour(15)) } },
      { dims: { date: '2026-11-20' }, metrics: { ...zeros, ...expected(today) } },
    ]);
    // Today's page views are mostly anonymous visitors' (ids of 10,000,000 and more), a sign-up per 12-25 of them.
    const pageViews = today.filter((e) => e.event === 'page_view');
    expect(events.rows[2]!.metrics['events.page_view.count']).toBe(pageViews.length);
    expect(events.rows[2]!.metrics['events.page_view.users']).toBe(new Set(pageViews.map((e) => e.userId).filter((u) => u !== null)).size);
    expect(pageViews.filter((e) => e.userId !== null && e.userId >= 10_000_000).length).toBeGreaterThan(0.8 * pageViews.length);
    // Each sign-up is a new person: as many users as sign-ups in an hour.
    for (const row of events.rows.slice(0, 2)) expect(row.metrics['events.signup.users']).toBe(row.metrics['events.signup.count']);
    expect(events.rows[0]!.metrics['events.signup.count']).toBeGreaterThan(10);
    const conversion = events.rows[2]!.metrics['events.signup.count']! / events.rows[2]!.metrics['events.page_view.users']!;
    expect(conversion).toBeGreaterThan(0.04);
    expect(conversion).toBeLessThan(0.08);
  });

  it('gives the past to the events reader only; snapshot readers say why they skip it', async () => {
    const warnings: string[] = [];
    const past = backfillWindow(NOW - 7 * 24 * HOUR_MS, NOW - 6 * 24 * HOUR_MS, TZ, NOW);
    const options = demoReaders(past, (m) => warnings.push(m));
    const services = { website: db };
    expect((await readRows(objectsReader(options.objects), services)).rows).toEqual([]);
    expect((await readRows(spidersReader(options.spiders), services)).rows).toEqual([]);
    expect(warnings).toHaveLength(2);
    const events = await readRows(eventsReader(options.events), services);
    expect(events.rows.filter((r) => r.dims.hour !== undefined)).toHaveLength(24);
    expect(events.rows.filter((r) => r.dims.hour === undefined)).toHaveLength(2);
  });

  it('seeds once: opening again with the same now changes nothing; later opens add exactly the new events', async () => {
    const before = await fingerprint(db);
    await db.close();
    db = await openDemoWebsite({ dir: join(root, 'website'), now: NOW });
    expect(await fingerprint(db)).toEqual(before);

    const later = NOW + 2 * HOUR_MS + 5 * 60_000;
    await db.close();
    const toppedUp: string[] = [];
    db = await openDemoWebsite({ dir: join(root, 'website'), now: later, onProgress: (m) => toppedUp.push(m) });
    expect(toppedUp).toEqual([]);
    const grown = (await fingerprint(db)) as { events: number };
    expect(grown.events).toBe((before as { events: number }).events + demoEvents(DEMO_SEED, NOW, later).length);

    // A database first created at `later` (copied from the template the first one left) holds the same
    // events over its own three weeks.
    const created: string[] = [];
    const fresh = await openDemoWebsite({ dir: join(root, 'fresh'), now: later, onProgress: (m) => created.push(m) });
    expect(created[0]).toBe(`first run: creating the demo website database in ${join(root, 'fresh')} (once, ~1 s)`);
    const from = later - 21 * 24 * HOUR_MS - (later % HOUR_MS);
    const [a, b] = [await fingerprint(db, from), await fingerprint(fresh, from)];
    await fresh.close();
    const pick = ({ events, events_md5, spiders_md5 }: Record<string, unknown>) => ({ events, events_md5, spiders_md5 });
    expect(pick(a as Record<string, unknown>)).toEqual(pick(b as Record<string, unknown>));
  });
});
