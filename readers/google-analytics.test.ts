// google-analytics reader: the real googleapis client against a GA4 runReport stand-in on a local port.
import { readSourceDirect } from '../test/support/node-testing.js';
import { google } from 'googleapis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphBuilder } from '../graph/builder.js';
import { ConfigError } from '../graph/errors.js';
import { runGraph } from '../graph/executor.js';
import { sink, source, type SourceNode } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import { zonedTime } from '../metrics/time.js';
import { backfillWindow, currentWindow } from '../metrics/window.js';
import { hourPartitions, partitionWindow } from '../runs/partitions.js';
import { GA_MESSAGES, startGaStandIn, type GaStandIn, type GaValues } from '../test/support/ga-stand-in.js';
import { freePort } from '../test/support/prometheus.js';
import { parseMetricValue } from './google-analytics-values.js';
import { createAnalyticsClient } from './google-analytics-client.js';
import { googleAnalyticsReader, GoogleAnalyticsError, type AnalyticsDataClient, type GoogleAnalyticsReaderOptions } from './google-analytics.js';
import { readRows } from '../test/support/read-rows.js';

const PROPERTY = '271828';
const TOKEN = 'ya29.stand-in-access-token-0123456789';
const NOW = Date.UTC(2026, 10, 22, 12);
const METRICS = { activeUsers: 'ga.active_users', sessions: 'ga.sessions', newUsers: 'ga.new_users' };

function paris(date: string, hour = 0): number {
  return zonedTime(date, hour, 'Europe/Paris');
}

/** Hourly values by dateHour: activeUsers = day of month * 100 + hour, sessions = 2x, newUsers = hour (0 at midnight). */
function hourValues(key: string): GaValues {
  const day = Number(key.slice(6, 8));
  const hour = Number(key.slice(8, 10));
  return { activeUsers: day * 100 + hour, sessions: 2 * (day * 100 + hour), newUsers: hour };
}

function dataset(): { date: Record<string, GaValues>; dateHour: Record<string, GaValues> } {
  const date: Record<string, GaValues> = {};
  const dateHour: Record<string, GaValues> = {};
  for (const day of [23, 24, 25, 26, 27]) {
    date[`202610${day}`] = { activeUsers: 1000 + day, sessions: 3000 + day, newUsers: 500 + day };
    // GA reports local hours: the repeated 02:00 of 2026-10-25 is one dateHour.
    for (let hour = 23; hour >= 0; hour--) {
      const key = `202610${day}${String(hour).padStart(2, '0')}`;
      dateHour[key] = hourValues(key);
    }
  }
  return { date, dateHour };
}

function testAuth(token = TOKEN): InstanceType<typeof google.auth.OAuth2> {
  const auth = new google.auth.OAuth2();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return auth;
}


/** The error a source stops with (fails the test when it does not fail). */
async function readError(reader: SourceNode<MetricRow>, services: Record<string, unknown>): Promise<Error> {
  try {
    await readSourceDirect(reader, services);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the reader to fail');
}

describe('google-analytics reader (GA4 stand-in)', () => {
  let ga: GaStandIn;
  let client: AnalyticsDataClient;
  const week = backfillWindow(paris('2026-10-24'), paris('2026-10-27'), 'Europe/Paris', NOW);
  const base: GoogleAnalyticsReaderOptions = { window: week, propertyId: PROPERTY, metrics: METRICS };

  beforeAll(async () => {
    ga = await startGaStandIn({
      property: PROPERTY,
      accessToken: TOKEN,
      timeZone: 'Europe/Paris',
      metricTypes: {
        activeUsers: 'TYPE_INTEGER',
        sessions: 'TYPE_INTEGER',
        newUsers: 'TYPE_INTEGER',
        bounceRate: 'TYPE_FLOAT',
        averageSessionDuration: 'TYPE_SECONDS',
        'customEvent:load_time': 'TYPE_MILLISECONDS',
        'customEvent:watch_time': 'TYPE_MINUTES',
        'customEvent:uptime': 'TYPE_HOURS',
        purchaseRevenue: 'TYPE_CURRENCY',
        'customEvent:distance': 'TYPE_KILOMETERS',
        screenPageViews: 'TYPE_INTEGER',
        eventCount: 'TYPE_INTEGER',
        'customEvent:broken': 'TYPE_INTEGER',
      },
      data: dataset(),
    });
    client = createAnalyticsClient({ rootUrl: ga.rootUrl, auth: testAuth(), retries: 0 });
  });
  afterEach(() => {
    ga.failWith(null);
    ga.requests.length = 0;
  });
  afterAll(async () => ga?.close());

  it('reads daily and hourly values of a past Paris window across the fall-back day', async () => {
    const { rows, run } = await readRows(googleAnalyticsReader(base), { googleAnalytics: client });
    expect(run.status).toBe('succeeded');
    const hourly = rows.filter((r) => r.dims.hour !== undefined);
    // 24 local hours a day; the repeated 02:00 of the 25th is one hour, as GA reports it.
    expect(hourly).toHaveLength(72);
    expect(hourly[0]).toEqual({ dims: { date: '2026-10-24', hour: 0 }, metrics: { 'ga.active_users': 2400, 'ga.sessions': 4800, 'ga.new_users': 0 } });
    expect(hourly.find((r) => r.dims.date === '2026-10-25' && r.dims.hour === 2)).toEqual({ dims: { date: '2026-10-25', hour: 2 }, metrics: { 'ga.active_users': 2502, 'ga.sessions': 5004, 'ga.new_users': 2 } });
    expect(hourly[71]).toEqual({ dims: { date: '2026-10-26', hour: 23 }, metrics: { 'ga.active_users': 2623, 'ga.sessions': 5246, 'ga.new_users': 23 } });
    expect(rows.filter((r) => r.dims.hour === undefined)).toEqual([
      { dims: { date: '2026-10-24' }, metrics: { 'ga.active_users': 1024, 'ga.sessions': 3024, 'ga.new_users': 524 } },
      { dims: { date: '2026-10-25' }, metrics: { 'ga.active_users': 1025, 'ga.sessions': 3025, 'ga.new_users': 525 } },
      { dims: { date: '2026-10-26' }, metrics: { 'ga.active_users': 1026, 'ga.sessions': 3026, 'ga.new_users': 526 } },
    ]);
    expect(ga.requests.map((r) => r.body)).toEqual([
      {
        dateRanges: [{ startDate: '2026-10-24', endDate: '2026-10-26' }],
        dimensions: [{ name: 'dateHour' }],
        metrics: [{ name: 'activeUsers' }, { name: 'sessions' }, { name: 'newUsers' }],
        orderBys: [{ dimension: { dimensionName: 'dateHour' } }],
        limit: '100000',
        offset: '0',
      },
      {
        dateRanges: [{ startDate: '2026-10-24', endDate: '2026-10-26' }],
        dimensions: [{ name: 'date' }],
        metrics: [{ name: 'activeUsers' }, { name: 'sessions' }, { name: 'newUsers' }],
        orderBys: [{ dimension: { dimensionName: 'date' } }],
        limit: '100000',
        offset: '0',
      },
    ]);
    expect(ga.requests.every((r) => r.property === PROPERTY)).toBe(true);
  });

  it('pages with limit and offset until rowCount is covered', async () => {
    const { rows, run } = await readRows(googleAnalyticsReader({ ...base, pageSize: 7, daily: false }), { googleAnalytics: client });
    expect(run.status).toBe('succeeded');
    expect(rows).toHaveLength(72);
    // The hourly report covers 3 dates x 24 dateHours = 72 rows: 11 pages of 7.
    expect(ga.requests.map((r) => [r.body.limit, r.body.offset])).toEqual(Array.from({ length: 11 }, (_, i) => ['7', String(7 * i)]));
    for (const row of rows) expect(row.metrics['ga.active_users']).toBe(Number(row.dims.date.slice(8)) * 100 + row.dims.hour!);
  });

  it('keeps only the local hours of the window from the dates it asks for', async () => {
    const window = backfillWindow(paris('2026-10-24', 22), paris('2026-10-25', 3), 'Europe/Paris', NOW);
    const { rows } = await readRows(googleAnalyticsReader({ ...base, window }), { googleAnalytics: client });
    expect(rows.map((r) => [r.dims.date, r.dims.hour])).toEqual([
      ['2026-10-24', 22],
      ['2026-10-24', 23],
      ['2026-10-25', 0],
      ['2026-10-25', 1],
      ['2026-10-25', 2],
      ['2026-10-24', undefined],
      ['2026-10-25', undefined],
    ]);
  });

  it('an hour partition (hourly values only) asks for no daily report', async () => {
    const hour = hourPartitions('2026-10-25', '2026-10-25', 'Europe/Paris')[3]!; // the second 02:00
    ga.requests.length = 0;
    const { rows } = await readRows(googleAnalyticsReader({ ...base, window: partitionWindow(hour, 'Europe/Paris', NOW) }), { googleAnalytics: client });
    expect(rows.map((r) => [r.dims.date, r.dims.hour])).toEqual([['2026-10-25', 2]]);
    expect(ga.requests.map((r) => r.body.dimensions?.map((d) => d.name))).toEqual([['dateHour']]);
  });

  it('reads the current hour and today', async () => {
    const now = Date.UTC(2026, 9, 26, 9, 40); // 10:40 in Paris
    const { rows } = await readRows(googleAnalyticsReader({ ...base, window: currentWindow(now, 'Europe/Paris') }), { googleAnalytics: client });
    expect(rows).toEqual([
      { dims: { date: '2026-10-26', hour: 10 }, metrics: { 'ga.active_users': 2610, 'ga.sessions': 5220, 'ga.new_users': 10 } },
      { dims: { date: '2026-10-26' }, metrics: { 'ga.active_users': 1026, 'ga.sessions': 3026, 'ga.new_users': 526 } },
    ]);
    expect(ga.requests.map((r) => r.body.dateRanges)).toEqual([[{ startDate: '2026-10-26', endDate: '2026-10-26' }], [{ startDate: '2026-10-26', endDate: '2026-10-26' }]]);
  });

  it('parses values by their declared type and splits more than 10 metrics into several reports', async () => {
    const typed = await startGaStandIn({
      property: PROPERTY,
      accessToken: TOKEN,
      timeZone: 'UTC',
      metricTypes: {
        activeUsers: 'TYPE_INTEGER',
        bounceRate: 'TYPE_FLOAT',
        averageSessionDuration: 'TYPE_SECONDS',
        'customEvent:load_time': 'TYPE_MILLISECONDS',
        'customEvent:watch_time': 'TYPE_MINUTES',
        'customEvent:uptime': 'TYPE_HOURS',
        purchaseRevenue: 'TYPE_CURRENCY',
        'customEvent:distance': 'TYPE_KILOMETERS',
        screenPageViews: 'TYPE_INTEGER',
        eventCount: 'TYPE_INTEGER',
        sessions: 'TYPE_INTEGER',
        'customEvent:broken': 'TYPE_INTEGER',
      },
      data: {
        date: {
          '20260301': {
            activeUsers: '1234',
            bounceRate: '0.4237',
            averageSessionDuration: '183.25',
            'customEvent:load_time': '1534',
            'customEvent:watch_time': '2.5',
            'customEvent:uptime': '0.5',
            purchaseRevenue: '1999.99',
            'customEvent:distance': '12.75',
            screenPageViews: '98765',
            eventCount: '300000',
            sessions: '1500',
            'customEvent:broken': '12.5',
          },
        },
      },
    });
    try {
      const typedClient = createAnalyticsClient({ rootUrl: typed.rootUrl, auth: testAuth(), retries: 0 });
      const window = backfillWindow(Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 2), 'UTC', NOW);
      const gaMetrics = ['activeUsers', 'bounceRate', 'averageSessionDuration', 'customEvent:load_time', 'customEvent:watch_time', 'customEvent:uptime', 'purchaseRevenue', 'customEvent:distance', 'screenPageViews', 'eventCount', 'sessions', 'customEvent:broken'];
      const metrics = Object.fromEntries(gaMetrics.map((m) => [m, `ga.${m.replace('customEvent:', '')}`]));
      const { rows, errors } = await readSourceDirect(googleAnalyticsReader({ window, propertyId: `properties/${PROPERTY}`, metrics, hourly: false }), { googleAnalytics: typedClient });
      expect(rows).toEqual([
        {
          dims: { date: '2026-03-01' },
          metrics: {
            'ga.activeUsers': 1234,
            'ga.bounceRate': 0.4237,
            'ga.averageSessionDuration': 183.25,
            'ga.load_time': 1.534,
            'ga.watch_time': 150,
            'ga.uptime': 1800,
            'ga.purchaseRevenue': 1999.99,
            'ga.distance': 12.75,
            'ga.screenPageViews': 98765,
            'ga.eventCount': 300000,
            'ga.sessions': 1500,
          },
        },
      ]);
      expect(errors.map((e) => (e as Error).message)).toEqual([`reader 'google-analytics': property ${PROPERTY}: customEvent:broken = "12.5" on 2026-03-01 is not a TYPE_INTEGER; value skipped`]);
      expect(typed.requests.map((r) => r.body.metrics?.length)).toEqual([10, 2]);
    } finally {
      await typed.close();
    }
  });

  it('fails on GA 403 with GA’s message, naming the node, never the token; the other reader delivers', async () => {
    ga.failWith(403);
    const rows: MetricRow[] = [];
    const b = graphBuilder('all');
    const collect = b.node('collect', sink<MetricRow>((row) => void rows.push(row)));
    b.source('google-analytics', googleAnalyticsReader(base)).into(collect);
    b.source('other', source(() => [{ dims: { date: '2026-10-24' }, metrics: { 'other.count': 1 } }])).into(collect);
    const run = await runGraph(b.build(), { services: { googleAnalytics: client } });
    expect(rows).toEqual([{ dims: { date: '2026-10-24' }, metrics: { 'other.count': 1 } }]);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      `job 'all': node 'google-analytics' failed: GoogleAnalyticsError: reader 'google-analytics': runReport failed (property ${PROPERTY}, service 'googleAnalytics'): HTTP 403 PERMISSION_DENIED: ${GA_MESSAGES.permissionDenied}`,
    );
    expect(JSON.stringify(run)).not.toContain(TOKEN);
  });

  it('a property the account cannot read is GA’s own 403', async () => {
    const error = await readError(googleAnalyticsReader({ ...base, propertyId: '999' }), { googleAnalytics: client });
    expect(error).toBeInstanceOf(GoogleAnalyticsError);
    expect(error).toMatchObject({ reader: 'google-analytics', httpStatus: 403, code: 'PERMISSION_DENIED' });
  });

  it('fails on GA 503 with GA’s message; retries when asked to', async () => {
    ga.failWith(503);
    const failed = await readRows(googleAnalyticsReader(base), { googleAnalytics: client });
    expect(failed.run.status).toBe('failed');
    expect(failed.run.error).toContain(`GoogleAnalyticsError: reader 'google-analytics': runReport failed (property ${PROPERTY}, service 'googleAnalytics'): HTTP 503 UNAVAILABLE: The service is currently unavailable.`);

    ga.failWith(503, 1);
    ga.requests.length = 0;
    const retrying = createAnalyticsClient({ rootUrl: ga.rootUrl, auth: testAuth(), retries: 1 });
    const ok = await readRows(googleAnalyticsReader({ ...base, daily: false }), { googleAnalytics: retrying });
    expect(ok.run.status).toBe('succeeded');
    expect(ok.rows).toHaveLength(72);
    expect(ga.requests).toHaveLength(2);
  });

  it('passes on a bad token (401) and an unknown metric (400) with GA’s message, token scrubbed', async () => {
    const wrong = createAnalyticsClient({ rootUrl: ga.rootUrl, auth: testAuth('ya29.wrong-token-abcdefgh'), retries: 0 });
    const unauth = await readError(googleAnalyticsReader(base), { googleAnalytics: wrong });
    expect(unauth).toMatchObject({ httpStatus: 401, code: 'UNAUTHENTICATED' });
    expect(unauth.message).toContain(`HTTP 401 UNAUTHENTICATED: ${GA_MESSAGES.unauthenticated}`);
    expect(unauth.message).not.toContain('ya29');

    const unknown = await readError(googleAnalyticsReader({ ...base, metrics: { notAMetric: 'x' } }), { googleAnalytics: client });
    expect(unknown.message).toContain('HTTP 400 INVALID_ARGUMENT: Field notAMetric is not a valid metric.');
  });

  it('refuses a property whose time zone is not the window’s', async () => {
    const utcWindow = backfillWindow(Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 25), 'UTC', NOW);
    const { rows, run } = await readRows(googleAnalyticsReader({ ...base, window: utcWindow }), { googleAnalytics: client });
    expect(rows).toEqual([]);
    expect(run.error).toContain(`reader 'google-analytics': property ${PROPERTY} reports in time zone 'Europe/Paris', but the read window is in 'UTC'`);
  });

  it('says clearly when the API cannot be reached', async () => {
    const port = await freePort();
    const down = createAnalyticsClient({ rootUrl: `http://127.0.0.1:${port}/`, auth: testAuth(), retries: 0 });
    const error = await readError(googleAnalyticsReader(base), { googleAnalytics: down });
    expect(error).toBeInstanceOf(GoogleAnalyticsError);
    expect(error.message).toBe(
      `reader 'google-analytics': cannot reach the GA4 Data API (property ${PROPERTY}, service 'googleAnalytics'): request to http://127.0.0.1:${port}/v1beta/properties/${PROPERTY}:runReport failed, reason: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it('reports a missing service-account key file without reaching Google', async () => {
    const keyless = createAnalyticsClient({ keyFile: '/nonexistent/etl-ga-key.json', rootUrl: ga.rootUrl, retries: 0 });
    const error = await readError(googleAnalyticsReader(base), { googleAnalytics: keyless });
    expect(error).toBeInstanceOf(GoogleAnalyticsError);
    expect(error.message).toMatch(/^reader 'google-analytics': runReport failed \(property 271828, service 'googleAnalytics'\): .*ENOENT.*\/nonexistent\/etl-ga-key\.json/);
    expect(ga.requests).toHaveLength(0);
  });
});

describe('google-analytics reader options and values', () => {
  const window = backfillWindow(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2), 'UTC', NOW);
  const make = (o: Partial<GoogleAnalyticsReaderOptions>) => () => googleAnalyticsReader({ window, propertyId: '1', metrics: METRICS, ...o });

  it('rejects bad options with a ConfigError', () => {
    expect(make({ propertyId: 'UA-1234-1' })).toThrow(ConfigError);
    expect(make({ propertyId: 'UA-1234-1' })).toThrow("google-analytics reader: propertyId: must be a numeric GA4 property id such as '123456789'");
    expect(make({ metrics: {} })).toThrow(/at least one GA4 metric/);
    expect(make({ metrics: { activeUsers: 'a', sessions: 'a' } })).toThrow("google-analytics reader: metrics: metric name 'a' is given to two GA4 metrics");
    expect(make({ metrics: { 'active users': 'a' } })).toThrow(/not a GA4 metric API name/);
    expect(make({ pageSize: 300_000 })).toThrow(/google-analytics reader: pageSize: .*250000/);
    expect(make({ propertyId: 'properties/42' })).not.toThrow();
  });

  it('parses metric strings by type', () => {
    expect(parseMetricValue('42', 'TYPE_INTEGER')).toBe(42);
    expect(parseMetricValue('4.2', 'TYPE_INTEGER')).toBeUndefined();
    expect(parseMetricValue('1500', 'TYPE_MILLISECONDS')).toBe(1.5);
    expect(parseMetricValue('0.25', 'TYPE_HOURS')).toBe(900);
    expect(parseMetricValue('1e3', 'TYPE_FLOAT')).toBe(1000);
    expect(parseMetricValue('', 'TYPE_FLOAT')).toBeUndefined();
    expect(parseMetricValue('NaN', 'TYPE_FLOAT')).toBeUndefined();
    expect(parseMetricValue('12', 'METRIC_TYPE_UNSPECIFIED')).toBe(12);
    expect(parseMetricValue(undefined, 'TYPE_INTEGER')).toBeUndefined();
  });
});
