// The event collector on the real PostgreSQL: over HTTP (keys, origins, limits, bad events, retries), a database
// that stops mid-stream (503, recovery, nothing lost or doubled), injection-looking properties; `etl collect` and
// the embedded `etl scheduler` hosting it, with the events reader reading the table through one configuration line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pgEventStore } from '../collector/pg-store.js';
import type { RunningCollector } from '../collector/server.js';
import { runCollector, type CollectorSettings } from '../collector/start.js';
import { collectorUrlOf } from './support/pg-collector.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { processRunner } from './support/processes.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const KEY = 'wk_test_Secret-9f3a';
const SITE = 'https://shop.example.com';
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let scratch: string;
const runner = processRunner({ cwd: () => scratch, killAfterMs: 60_000 });

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'etl-collector-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A database of its own and a collector on it (any free port); both go when the test ends. */
async function collectorOn(settings: Partial<CollectorSettings> = {}): Promise<{ db: TestDatabase; collector: RunningCollector }> {
  const db = await createTestDatabase('etl_collector');
  const store = await pgEventStore({ url: db.url, schema: 'etl', writeTimeoutMs: 2_000, connectTimeoutMs: 2_000, table: 'create' });
  const collector = await runCollector(store, { writeKeys: [{ name: 'site', key: KEY }], allowedOrigins: [SITE], host: '127.0.0.1', port: 0, ...settings });
  onTestFinished(async () => {
    await collector.close();
    await db.drop();
  });
  return { db, collector };
}

const events = (n: number, prefix: string): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_, i) => ({ event: 'pageview', messageId: `${prefix}-${i}`, anonymousId: `anon-${prefix}`, properties: { i } }));

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Write-Key': KEY, ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
}

async function count(db: TestDatabase, where = 'true'): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.events WHERE ${where}`);
  return rows[0]!.n;
}

describe('the collector on PostgreSQL', () => {
  it('refuses a wrong key (401), another origin (403), an oversize batch (413 naming the limit); stores nothing of them', async () => {
    const { db, collector } = await collectorOn({ limits: { batchEvents: 50, bodyBytes: 20_000 } });
    const wrong = await post(`${collector.url}/v1/batch`, events(1, 'w'), { 'X-Write-Key': 'not-the-key-123' });
    expect([wrong.status, await wrong.json()]).toEqual([401, { error: 'unknown write key' }]);
    const evil = await post(`${collector.url}/v1/batch`, events(1, 'e'), { Origin: 'https://evil.example' });
    expect([evil.status, evil.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    const big = await post(`${collector.url}/v1/batch`, events(51, 'b'));
    expect([big.status, await big.json()]).toEqual([413, { error: 'a batch of 51 events, over the limit of 50 (collector.limits.batchEvents)', limit: 'batchEvents', max: 50 }]);
    const heavy = await post(`${collector.url}/v1/batch`, events(50, 'h').map((e) => ({ ...e, properties: { text: 'x'.repeat(500) } })));
    expect([heavy.status, await heavy.json()]).toEqual([413, { error: 'the body is too large, over the limit of 20000 (collector.limits.bodyBytes)', limit: 'bodyBytes', max: 20_000 }]);
    expect(await count(db)).toBe(0);
    const ok = await post(`${collector.url}/v1/batch`, events(50, 'ok'), { Origin: SITE });
    expect([ok.status, ok.headers.get('access-control-allow-origin')]).toEqual([200, SITE]);
    expect(await count(db)).toBe(50);
  });

  it('stores 97 of 100 events with 3 bad ones and names the 3; a batch sent twice (even at once) is stored once', async () => {
    const { db, collector } = await collectorOn();
    const batch = events(100, 'm');
    batch[0] = { event: 'pageview' };
    batch[42] = { event: 'pageview', messageId: 'm-42', time: new Date(Date.now() + 86_400_000).toISOString() };
    batch[77] = { event: 'pageview', messageId: 'm-77', properties: 'not an object' };
    const res = await post(`${collector.url}/v1/batch`, { batch });
    const answer = (await res.json()) as { accepted: number; rejected: Array<{ index: number; reason: string }> };
    expect(res.status).toBe(200);
    expect(answer.accepted).toBe(97);
    expect(answer.rejected.map((r) => r.index)).toEqual([0, 42, 77]);
    expect(answer.rejected[1]!.reason).toMatch(/^time: 1d|^time: 24h ahead/);
    expect(await count(db)).toBe(97);

    const twice = events(50, 't');
    const [a, b] = await Promise.all([post(`${collector.url}/v1/batch`, twice), post(`${collector.url}/v1/batch`, twice)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await post(`${collector.url}/v1/batch`, twice)).status).toBe(200);
    expect(await count(db, `message_id LIKE 't-%'`)).toBe(50);
  });

  it('stores injection-looking property names and values verbatim, and reads them back by those names', async () => {
    const { db, collector } = await collectorOn();
    const name = `x"); DROP TABLE etl.events; --`;
    const properties = { [name]: "'; DELETE FROM etl.events WHERE ''='", $1: '$2::text', 'a\\b': "O'Brien", nested: { 'k"\'': ['%', '_'] } };
    const res = await post(`${collector.url}/v1/track`, { event: "signup'); --", messageId: "id'; --", userId: 'Robert"); DROP', properties });
    expect(res.status).toBe(200);
    const { rows } = await db.pool.query<{ event: string; user_id: string; properties: unknown; value: string }>(
      'SELECT event, user_id, properties, properties ->> $1 AS value FROM etl.events WHERE message_id = $2',
      [name, "id'; --"],
    );
    expect(rows).toEqual([{ event: "signup'); --", user_id: 'Robert"); DROP', properties, value: "'; DELETE FROM etl.events WHERE ''='" }]);
  });

  it('answers 503 while the database refuses connections, recovers by itself; the final count is what clients sent', async () => {
    const { db, collector } = await collectorOn();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    onTestFinished(async () => {
      await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    });
    const CLIENTS = 3;
    const BATCHES = 20;
    let acknowledged = 0;
    let unavailable = 0;
    let blocked = false;
    const client = async (c: number): Promise<void> => {
      for (let b = 0; b < BATCHES; b++) {
        for (;;) {
          const res = await post(`${collector.url}/v1/batch`, events(50, `c${c}b${b}`)).catch(() => undefined);
          if (res?.status === 200) break;
          if (res !== undefined && res.status !== 503) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
          if (res !== undefined) {
            expect(res.headers.get('retry-after')).toBe('2');
            unavailable += 1;
          }
          await sleep(50); // a client's backoff (shortened here)
        }
        acknowledged += 50;
        // Mid-stream: the database stops taking connections and loses the ones it had.
        if (acknowledged >= 600 && !blocked) {
          blocked = true;
          await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} ALLOW_CONNECTIONS false`);
          // The collector's connections only: this test's own pool stays as it was.
          await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'etl collector'", [db.name]);
        }
      }
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const deadline = Date.now() + 20_000;
    while (unavailable < 5 && Date.now() < deadline) await sleep(20);
    expect(unavailable).toBeGreaterThanOrEqual(5);
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} ALLOW_CONNECTIONS true`);
    await clients;
    expect(acknowledged).toBe(CLIENTS * BATCHES * 50);
    expect(await count(db)).toBe(CLIENTS * BATCHES * 50);
  });
});

describe('etl collect and etl scheduler', () => {


  const today = (): string => new Date().toISOString().slice(0, 10);
  const signups = (prefix: string): unknown[] =>
    ['u1', 'u2', 'u2'].map((user, i) => ({ event: 'signup', messageId: `${prefix}-${i}`, userId: user, time: new Date(Date.now() - 60_000).toISOString() }));

  function writeConfig(dir: string): string {
    const file = join(dir, 'etl.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        collector: { port: 0, writeKeys: [{ name: 'site', key: '${COLLECTOR_KEY}' }] },
        readers: { events: { source: 'collector', table: 'etl.events' } },
      }),
    );
    return file;
  }

  it('`etl collect` on the PostgreSQL metrics database; `etl read events` reads its table; the key is never printed', async () => {
    const metrics = await createTestDatabase('etl_collect_cli');
    onTestFinished(() => metrics.drop());
    const dir = mkdtempSync(join(scratch, 'pg-'));
    writeConfig(dir);
    const env = { DATABASE_URL: metrics.url, COLLECTOR_KEY: KEY, ETL_DATA_DIR: join(dir, 'data') };
    const collect = runner.start(process.execPath, [bin, 'collect'], { cwd: dir, env });
    const url = await collectorUrlOf(collect);
    expect((await post(`${url}/v1/batch`, signups('cli'))).status).toBe(200);
    collect.kill('SIGTERM');
    const stopped = await collect.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).not.toContain(KEY);

    const read = runner.runSync(process.execPath, [bin, 'read', 'events', '--write'], { cwd: dir, env });
    expect(read.code, read.stderr).toBe(0);
    const { rows } = await metrics.pool.query<{ name: string; value: number }>(
      `SELECT m.name, v.value FROM etl.daily_value v JOIN etl.metric m ON m.id = v.metric_id WHERE v.date = $1 ORDER BY m.name`,
      [today()],
    );
    expect(rows).toEqual([{ name: 'events.signup.count', value: 3 }, { name: 'events.signup.users', value: 2 }]);
    const info = runner.runSync(process.execPath, [bin, 'db', 'info'], { cwd: dir, env });
    expect(info.code, info.stdout + info.stderr).toBe(0);
  });

  it("the quick start: the demo configuration's scheduler hosts the collector; captured events appear in etl metrics after the next run", async () => {
    const dir = mkdtempSync(join(scratch, 'demo-'));
    // The demo configuration as shipped, on a free port (8081 may be taken by another test's demo scheduler).
    const demo = JSON.parse(readFileSync(join(root, 'examples/demo/etl.config.json'), 'utf8')) as { collector: Record<string, unknown> };
    demo.collector = { ...demo.collector, port: 0, page: join(root, 'examples/demo/page.html') };
    writeFileSync(join(dir, 'etl.config.json'), JSON.stringify(demo));
    const env = { ETL_DATA_DIR: join(dir, 'data') };
    const scheduler = runner.start(process.execPath, [bin, 'scheduler', '--no-ui'], { cwd: dir, env });
    const url = await collectorUrlOf(scheduler);
    const visit = (id: string, anonymousId: string, campaign: string): Record<string, unknown> => ({ event: 'pageview', messageId: id, anonymousId, properties: { campaign } });
    const sent = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://localhost:8081' },
      body: JSON.stringify({ writeKey: 'demo-write-key', batch: [visit('d1', 'a1', 'Summer Sale'), visit('d2', 'a2', 'summer_sale'), visit('d3', 'a1', 'launch')] }),
    });
    expect(sent.status).toBe(200);
    const trigger = await runner.start(process.execPath, [bin, 'trigger', 'all', '--wait'], { cwd: dir, env }).done;
    expect(trigger.code, trigger.stderr).toBe(0);
    const listed = await runner.start(process.execPath, [bin, 'metrics', '--json'], { cwd: dir, env }).done;
    expect(listed.code, listed.stderr).toBe(0);
    const metrics = JSON.parse(listed.stdout) as Array<{ name: string; daily?: { value: number } | null }>;
    const daily = (name: string): number | undefined => metrics.find((m) => m.name === name)?.daily?.value;
    expect(daily('events.pageview.count')).toBe(3);
    expect(daily('events.pageview.users')).toBe(2); // anonymous visitors a1 and a2
    expect(daily('events.pageview.by_campaign.summer_sale.count')).toBe(2);
    expect(daily('events.page_view.count')).toBeGreaterThan(0); // the demo website's own events still counted
    scheduler.kill('SIGTERM');
    expect((await scheduler.done).code).toBe(0);
  });

  it('the embedded scheduler hosts it on PGlite; another command reads the events through the shared database', async () => {
    const dir = mkdtempSync(join(scratch, 'pglite-'));
    writeConfig(dir);
    const env = { COLLECTOR_KEY: KEY, ETL_DATA_DIR: join(dir, 'data') };
    const scheduler = runner.start(process.execPath, [bin, 'scheduler', '--no-ui'], { cwd: dir, env });
    const url = await collectorUrlOf(scheduler);
    expect((await post(`${url}/v1/batch`, signups('sched'))).status).toBe(200);
    const read = await runner.start(process.execPath, [bin, 'read', 'events', '--write'], { cwd: dir, env }).done;
    expect(read.code, read.stderr).toBe(0);
    const listed = await runner.start(process.execPath, [bin, 'metrics', '--json'], { cwd: dir, env }).done;
    expect(listed.code, listed.stderr).toBe(0);
    const names = (JSON.parse(listed.stdout) as Array<{ name: string }>).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['events.signup.count', 'events.signup.users']));
    scheduler.kill('SIGTERM');
    expect((await scheduler.done).code).toBe(0);
  });
});

describe('events dated too far back (issue 18, maxPast)', () => {
  type Answer = { accepted: number; rejected: Array<{ index: number; reason: string }> };
  const DAY = 86_400_000;

  it('stores the good event of a batch and rejects the 1970 one by its index, with its reason (default maxPast 30d)', async () => {
    const { db, collector } = await collectorOn();
    const batch = [
      { event: 'pageview', messageId: 'old-0', anonymousId: 'a', time: '1970-01-01T00:00:00.000Z' },
      { event: 'pageview', messageId: 'good-1', anonymousId: 'a', time: new Date(Date.now() - 29 * DAY).toISOString() },
    ];
    const res = await post(`${collector.url}/v1/batch`, batch);
    const answer = (await res.json()) as Answer;
    expect(res.status).toBe(200);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected).toEqual([{ index: 0, reason: expect.stringMatching(/^time: \d+d(\d+h)? behind the collector's clock \(at most 30d accepted\)$/) }]);
    const { rows } = await db.pool.query<{ message_id: string }>('SELECT message_id FROM etl.events');
    expect(rows).toEqual([{ message_id: 'good-1' }]);
  });

  it('takes maxPast from the collector settings and from collector.maxPast of `etl collect`', async () => {
    const { db, collector } = await collectorOn({ maxPastMs: 2 * DAY });
    const threeDays = { event: 'pageview', messageId: 'three-days', anonymousId: 'a', time: new Date(Date.now() - 3 * DAY).toISOString() };
    const direct = await post(`${collector.url}/v1/batch`, [threeDays, { event: 'pageview', messageId: 'now', anonymousId: 'a' }]);
    expect(((await direct.json()) as Answer).rejected).toEqual([{ index: 0, reason: "time: 3d behind the collector's clock (at most 2d accepted)" }]);
    expect(await count(db)).toBe(1);

    const metrics = await createTestDatabase('etl_collect_max_past');
    onTestFinished(() => metrics.drop());
    const dir = mkdtempSync(join(scratch, 'max-past-'));
    writeFileSync(join(dir, 'etl.config.json'), JSON.stringify({ collector: { port: 0, maxPast: '1d', writeKeys: [{ name: 'site', key: KEY }] } }));
    const collect = runner.start(process.execPath, [bin, 'collect'], { cwd: dir, env: { DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data') } });
    const deadline = Date.now() + 40_000;
    let url: string | undefined;
    while (url === undefined && !collect.exited() && Date.now() < deadline) {
      url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(collect.stderr())?.[1];
      await sleep(100);
    }
    expect(url, collect.stderr()).toBeDefined();
    const res = await post(`${url}/v1/batch`, [{ ...threeDays, messageId: 'three-days-cli' }]);
    expect([res.status, await res.json()]).toEqual([400, { error: 'no event of the batch is valid', accepted: 0, rejected: [{ index: 0, reason: "time: 3d behind the collector's clock (at most 1d accepted)" }] }]);
    collect.kill('SIGTERM');
    expect((await collect.done).code).toBe(0);
  });
});
