// The web UI in the machine's Chromium (playwright-core): a real server (startUi) over a real SqlRunStore on
// PostgreSQL, jobs run in this process (runRecordedJob). Trigger from the jobs page, see the run appear and its
// graph's counts change live until it succeeds (no reload); a failing job's error shown as text and its node
// red, its `<script>` inert; pause; no secret in any page, API answer or SSE message; a read job's partition
// calendar (a backfill of its failed days queued from the form for a live scheduler, cells re-coloured live);
// the screenshots of docs/web-ui.md.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/index.js';
import { graphBuilder, sink, source, transform, UnrecoverableError } from '../graph/index.js';
import { defineJob } from '../jobs/job.js';
import { JobRegistry, type AnyJob } from '../jobs/registry.js';
import { startOfDay } from '../metrics/time.js';
import { wireReaders } from '../runtime/readers.js';
import { buildRegistry } from '../runtime/registry.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { PartitionStore } from '../runs/partition-store.js';
import { dayPartitions, hourPartition } from '../runs/partitions.js';
import { runRecordedJob } from '../execution/run-recorded-job.js';
import type { RunStorage } from '../runs/run-storage.js';
import type { RunStore } from '../runs/run-store.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import { currentProcess } from '../embedded/index.js';
import type { UiDeps } from '../web/contract.js';
import { startUi, type RunningUi } from '../web/server.js';
import { createTestMetricsDb, type TestMetricsDb } from './writers-backends.js';

const EVIL = '<script>window.pwned=1</script>';
const SECRET_URL = 'postgres://u:hunter2@h/db';
const SCREENSHOTS = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** ~3 s: 30 rows, one every 100 ms, through four nodes. */
const slow = defineJob({
  name: 'slow',
  description: `Counts orders slowly (reads ${SECRET_URL})`,
  services: [],
  build: () => {
    const b = graphBuilder('slow');
    b.source(
      'orders',
      source(async function* () {
        for (let i = 1; i <= 30; i++) {
          await sleep(100);
          yield { id: i, amount: i * 3 };
        }
      }, 'generated'),
    )
      .to('valid', transform((row: { id: number; amount: number }) => (row.id % 10 === 0 ? undefined : row)))
      .to('enrich', transform((row: { id: number; amount: number }) => ({ ...row, vat: row.amount * 0.2 })))
      .to('store', sink(() => undefined, 'memory'));
    return b.build();
  },
});

/** Fails: a row error and a fatal one, both holding a script tag and a database URL with its password. */
const broken = defineJob({
  name: 'broken',
  description: `Always fails ${EVIL}`,
  services: [],
  build: () => {
    const b = graphBuilder('broken');
    b.source('rows', source(() => [{ n: 1 }, { n: 2, note: EVIL }, { n: 3 }]))
      .to(
        'explode',
        transform((row: { n: number }) => {
          if (row.n === 2) throw new Error(`bad row ${EVIL}`);
          if (row.n === 3) throw new UnrecoverableError(`cannot reach ${SECRET_URL}: ${EVIL}`);
          return row;
        }),
      )
      .to('sink', sink(() => undefined));
    return b.build();
  },
});

const quick = defineJob({
  name: 'daily-report',
  description: 'Sums yesterday into the report table',
  services: [],
  build: () => {
    const b = graphBuilder('daily-report');
    b.source('days', source(() => [1, 2, 3])).to('sum', transform((n: number) => n)).to('report', sink(() => undefined));
    return b.build();
  },
});

const ZONE = 'Europe/Paris';
/** An events source, so the registry has the read job `events` (partitioned); nothing here reads it. */
const READERS_FILE = { sources: { website: { url: 'postgres://etl@127.0.0.1:1/site' } }, readers: { events: { source: 'website', table: 'events' } } };

let metrics: TestMetricsDb;
let storage: RunStorage;
let store: RunStore;
let ui: RunningUi;
let browser: Browser;
let jobs: JobRegistry;

async function runHere(name: string): Promise<number> {
  const job = jobs.get(name);
  if (job === undefined) throw new Error(`no job ${name}`);
  const runId = (await store.create({ job: name, trigger: 'manual' }))!;
  void runRecordedJob({ job, params: {} as never, trigger: 'manual', services: {}, store, runId, heartbeatMs: 200 }).catch(() => undefined);
  return runId;
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/** The SSE messages of a stream for `ms`. */
async function sseFor(path: string, ms: number): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(`${ui.url}${path}`, { signal: controller.signal });
  const reader = res.body!.getReader();
  let text = '';
  const stop = setTimeout(() => controller.abort(), ms);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // aborted
  } finally {
    clearTimeout(stop);
  }
  return text;
}

beforeAll(async () => {
  metrics = await createTestMetricsDb('postgres');
  storage = sqlRunStorage(metrics.db);
  store = storage.runs;
  const config = { file: READERS_FILE, env: { ORDERS_DB: SECRET_URL }, database: { databaseUrl: metrics.config.databaseUrl }, timeZone: ZONE, source: { file: 'etl.config.json' }, dataDir: '/nonexistent', jobModules: [] } as unknown as LoadedConfig;
  const readers = await wireReaders(config, () => undefined);
  jobs = new JobRegistry([slow, broken, quick, (await buildRegistry(config, readers)).get('events')!] as unknown as AnyJob[]);
  const runtime = {
    config,
    readers: async () => readers,
    registry: async () => jobs,
    services: async () => ({}),
    metricsDb: async () => metrics.db,
    runStorage: async () => storage,
    close: async () => undefined,
  } satisfies EtlRuntime;
  const deps: UiDeps = {
    runtime,
    schedules: [
      { job: 'slow', cron: '*/15 * * * *', timeZone: 'UTC', retries: 0, retryDelayMs: 1_000 },
      { job: 'daily-report', cron: '0 6 * * *', timeZone: 'Europe/Paris', retries: 1, retryDelayMs: 60_000 },
    ],
    runHere,
  };
  // Some history for the squares, the grid and the trend.
  for (let i = 0; i < 6; i++) await runRecordedJob({ job: quick as unknown as AnyJob, params: {} as never, trigger: i % 2 === 0 ? 'schedule' : 'manual', services: {}, store });
  ui = await startUi({ deps, host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await ui?.close();
  await metrics?.drop();
});

describe('web UI in Chromium', () => {
  it('triggers a run from the jobs page and follows it live on its graph until it succeeds', async () => {
    const page = await newPage();
    await page.goto(`${ui.url}/`);
    expect(new URL(page.url()).pathname).toBe('/jobs');
    const row = page.locator('tr[data-job="slow"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('every 15 minutes');
    await page.evaluate('window.marker = 1');
    await row.locator('button[data-kind="trigger"]').click();
    // The run appears in the row (a square and the last run) without a reload.
    const square = page.locator('tr[data-job="slow"] a.sq').first();
    await square.waitFor({ timeout: 5_000 }).catch(async (error: unknown) => {
      throw new Error(`no run appeared; the page says: ${await page.locator('#flash').textContent()}`, { cause: error });
    });
    expect(await page.evaluate('window.marker')).toBe(1);
    const href = (await square.getAttribute('href'))!;
    expect(href).toMatch(/^\/runs\/\d+$/);

    await square.click();
    await page.waitForURL(`**${href}`);
    await page.evaluate('window.marker = 2');
    const counts = page.locator('#graph g.node', { has: page.locator('title', { hasText: /^orders$/ }) }).locator('text.counts');
    const seen = new Set<string>();
    const deadline = Date.now() + 20_000;
    let status = '';
    while (Date.now() < deadline) {
      seen.add((await counts.textContent()) ?? '');
      status = (await page.locator('#run-status .badge').textContent()) ?? '';
      if (status === 'succeeded') break;
      await sleep(150);
    }
    expect(status).toBe('succeeded');
    seen.add((await counts.textContent()) ?? '');
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(await counts.textContent()).toBe('in 30 out 30 err 0');
    expect(await page.evaluate('window.marker')).toBe(2);
    expect(await page.locator('#graph g.node.st-succeeded').count()).toBe(4);
    expect(await page.locator('#nodes tr[data-node="valid"] td.num').allTextContents()).toEqual(['30', '27', '0']);
    expect(await page.locator('#cancel').isHidden()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'run.png') });
    await page.close();
  });

  it("shows a failing run's error as text, its failed node in red, and runs none of its script", async () => {
    const page = await newPage();
    await page.goto(`${ui.url}/jobs`);
    await page.locator('tr[data-job="broken"] button[data-kind="trigger"]').click();
    const square = page.locator('tr[data-job="broken"] a.sq.st-failed').first();
    await square.waitFor({ timeout: 10_000 });
    await square.click();
    await page.locator('#run-status .badge.st-failed').waitFor();
    if (process.env.ETL_UI_SHOTS_DIR) await page.screenshot({ path: join(process.env.ETL_UI_SHOTS_DIR, 'run-failed.png'), fullPage: true });
    const errors = (await page.locator('#errors').textContent()) ?? '';
    expect(errors).toContain(`bad row ${EVIL}`);
    expect(errors).toContain(`"note":"${EVIL}"`);
    const failedNode = page.locator('#graph g.node.st-failed', { has: page.locator('title', { hasText: /^explode$/ }) });
    expect(await failedNode.count()).toBe(1);
    const fill = await failedNode.locator('polygon, path, ellipse').first().evaluate((e) => (globalThis as unknown as { getComputedStyle: (x: unknown) => { fill: string } }).getComputedStyle(e).fill);
    expect(fill).toBe('rgb(254, 202, 202)');
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    expect(await page.content()).not.toContain('hunter2');
    await page.close();
  });

  it('pauses and resumes a job from the jobs page', async () => {
    const page = await newPage();
    await page.goto(`${ui.url}/jobs`);
    const row = page.locator('tr[data-job="daily-report"]');
    await row.locator('button[data-kind="pause"]').click();
    await row.locator('.state .badge.st-paused').waitFor({ timeout: 5_000 });
    expect(await row.locator('button[data-kind="resume"]').count()).toBe(1);
    expect(await storage.jobs.pausedJobs()).toContain('daily-report');
    await page.reload();
    await row.locator('.state .badge.st-paused').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'jobs.png') });
    await row.locator('button[data-kind="resume"]').click();
    await row.locator('button[data-kind="pause"]').waitFor({ timeout: 5_000 });
    expect(await storage.jobs.pausedJobs()).not.toContain('daily-report');
    await page.close();
  });

  it('shows no secret in any page, API answer or SSE message', async () => {
    // The engine masks what it records; a record written by something else may still hold a password.
    const broken = { id: (await store.create({ job: 'broken', trigger: 'manual' }))! };
    await store.setLog(broken.id, [`connecting to ${SECRET_URL}`, `password hunter2 rejected ${EVIL}`]);
    await store.finish(broken.id, 'failed', `could not connect to ${SECRET_URL}`);
    expect(JSON.stringify(await store.get(broken.id))).toContain('hunter2');
    expect(jobs.get('slow')!.description).toContain('hunter2');
    const paths = ['/jobs', '/jobs/slow', '/jobs/broken', '/runs', '/runs?job=broken', `/runs/${broken.id}`, '/api/jobs', '/api/runs', `/api/runs/${broken.id}`, '/api/jobs/broken/dot', '/assets/web/client/main.js'];
    for (const path of paths) {
      const res = await fetch(`${ui.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain('hunter2');
    }
    for (const path of ['/api/events?view=jobs', `/api/events?run=${broken.id}`]) {
      const text = await sseFor(path, 1_500);
      expect(text, path).toContain('event:');
      expect(text, path).not.toContain('hunter2');
    }
  });

  it('cancels a running run from its page', async () => {
    const page = await newPage();
    const runId = await runHere('slow');
    await page.goto(`${ui.url}/runs/${runId}`);
    await page.locator('#run-status .badge.st-running').waitFor({ timeout: 5_000 });
    await page.locator('#cancel').click();
    await page.locator('#run-status .badge.st-cancelled').waitFor({ timeout: 5_000 });
    expect(await page.locator('#cancel').isHidden()).toBe(true);
    expect((await store.get(runId))!.status).toBe('cancelled');
    await page.close();
  });

  it('follows the dark colour scheme', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const broken = (await store.list({ job: 'broken', status: 'failed', limit: 1 }))[0]!;
    await page.goto(`${ui.url}/runs/${broken.id}`);
    const colours = await page.evaluate('[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]');
    expect(colours).toEqual(['rgb(17, 24, 39)', 'rgb(229, 231, 235)']);
    if (process.env.ETL_UI_SHOTS_DIR) await page.screenshot({ path: join(process.env.ETL_UI_SHOTS_DIR, 'run-dark.png'), fullPage: true });
    await page.close();
  });

  it('shows the job page: grid, trend and graph', async () => {
    const page = await newPage();
    await page.goto(`${ui.url}/jobs/daily-report`);
    if (process.env.ETL_UI_SHOTS_DIR) await page.screenshot({ path: join(process.env.ETL_UI_SHOTS_DIR, 'job.png'), fullPage: true });
    expect(await page.locator('table.grid td.cell.st-succeeded').count()).toBe(18);
    expect(await page.locator('svg.trend polyline').count()).toBe(1);
    expect(await page.locator('.graph g.node').count()).toBe(3);
    await page.close();
  });

  // Last: it makes an embedded scheduler look alive, so a trigger after it would be queued for it.
  it("shows a read job's partition calendar, queues a backfill of its failed days from the form and follows it live", async () => {
    const parts = new PartitionStore(metrics.db);
    const finished = async (status: 'succeeded' | 'failed', error: string | null = null): Promise<number> => {
      const id = (await store.create({ job: 'events', trigger: 'backfill' }))!;
      await store.finish(id, status, error);
      return id;
    };
    const ok = await finished('succeeded');
    const reason = 'source query failed: relation "events" does not exist';
    const bad = await finished('failed', reason);
    for (const day of dayPartitions('2026-10-19', '2026-11-01', ZONE)) {
      if (day.key === '2026-10-21') await parts.set('events', day, 'failed', { runId: bad, reason, attempt: true });
      else if (!['2026-10-26', '2026-10-30', '2026-10-31'].includes(day.key)) await parts.set('events', day, 'success', { runId: ok, attempt: true });
    }
    // 2026-10-26 by hours: the morning read, 12:00 failed, the rest not yet.
    for (let h = 0; h <= 12; h++) await parts.set('events', hourPartition(startOfDay('2026-10-26', ZONE) + h * 3_600_000, ZONE), h === 12 ? 'failed' : 'success', { runId: h === 12 ? bad : ok, ...(h === 12 ? { reason } : {}) });

    const page = await newPage();
    await page.goto(`${ui.url}/jobs/events?from=2026-10-19&to=2026-11-01`);
    const calendar = page.locator('#partitions');
    expect(await calendar.locator('tbody tr').count()).toBe(14);
    expect(await page.locator('tr[data-day="2026-10-25"] td.pc').count()).toBe(25);
    expect(await page.locator('tr[data-day="2026-10-24"] td.pc').count()).toBe(24);
    expect(await page.locator('tr[data-day="2026-10-24"] td.pc.ps-success').count()).toBe(24);
    const failedHour = page.locator('td[data-key="2026-10-26T12:00+01:00"]');
    expect(await failedHour.getAttribute('class')).toBe('pc ps-failed');
    expect(await failedHour.textContent()).toBe('F');
    expect(await failedHour.getAttribute('title')).toBe(`2026-10-26T12:00+01:00 · failed · run #${bad} · ${reason}`);
    expect(await page.locator('tr[data-day="2026-10-26"] td.pc.ps-success').count()).toBe(12);
    expect(await page.locator('tr[data-day="2026-10-26"] td.pc.ps-missing').count()).toBe(11);
    expect(await page.locator('td.pc-day[data-key="2026-10-21"] .badge').textContent()).toBe('failed');
    expect(await page.locator('#pc-counts li[data-status="failed"] b').textContent()).toBe('1');
    expect(await page.locator('#pc-counts li[data-status="missing"] b').textContent()).toBe('3');
    await page.locator('#live:not([hidden])').waitFor({ timeout: 5_000 });

    await failedHour.click();
    const detail = page.locator('#pc-detail');
    expect(await detail.textContent()).toContain(reason);
    expect(await detail.locator('a').getAttribute('href')).toBe(`/runs/${bad}`);

    await storage.scheduler.beat(currentProcess());
    await page.locator('#backfill select[name="only"]').selectOption('failed');
    await page.locator('#backfill button[type="submit"]').click();
    const result = page.locator('#backfill-result.ok');
    await result.waitFor({ timeout: 5_000 }).catch(async (error: unknown) => {
      throw new Error(`no backfill queued; the page says: ${await page.locator('#backfill-result').textContent()}`, { cause: error });
    });
    expect(await result.textContent()).toMatch(/^queued 1 run of 2026-10-19 … 2026-11-01 \(day, only failed\) for the scheduler \(#\d+\)/);
    const queued = (await store.list({ job: 'events', status: 'queued', trigger: 'backfill', limit: 10 }))[0]!;
    expect(queued.scheduledFor).toBe(startOfDay('2026-10-21', ZONE));
    // The stream re-colours the day and its hours: queued, without a reload.
    await page.locator('td.pc-day[data-key="2026-10-21"] .badge.ps-queued').waitFor({ timeout: 5_000 });
    expect(await page.locator('tr[data-day="2026-10-21"] td.pc.ps-queued').count()).toBe(24);
    expect(await page.locator('#pc-counts li[data-status="queued"] b').textContent()).toBe('1');
    await calendar.screenshot({ path: join(SCREENSHOTS, 'partitions.png') });

    // Re-run the failed hour from its detail line.
    await detail.locator('button[data-kind="rerun"]').click();
    await page.locator('#flash a', { hasText: /^re-run of 2026-10-26T12:00\+01:00: run #\d+ queued$/ }).waitFor({ timeout: 5_000 });
    await page.locator('td[data-key="2026-10-26T12:00+01:00"].ps-queued').waitFor({ timeout: 5_000 });
    // The scheduler finishes the day: green, live.
    await parts.set('events', dayPartitions('2026-10-21', '2026-10-21', ZONE)[0]!, 'success', { runId: queued.id });
    await page.locator('td.pc-day[data-key="2026-10-21"] .badge.ps-success').waitFor({ timeout: 5_000 });
    expect(await page.locator('tr[data-day="2026-10-21"] td.pc.ps-success').count()).toBe(24);
    // Nothing failed any more: nothing to queue.
    await page.locator('#backfill button[type="submit"]').click();
    await page.locator('#backfill-result', { hasText: 'nothing to run: no failed partition in that range' }).waitFor({ timeout: 5_000 });
    await page.close();
  });
});
