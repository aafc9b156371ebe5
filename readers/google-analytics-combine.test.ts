// google-analytics reader, unit: two report rows for one bucket never let one value replace the other.
import { describe, expect, it } from 'vitest';
import { backfillWindow } from '../metrics/window.js';
import { readSourceDirect } from '../test/support/node-testing.js';
import { googleAnalyticsReader, type AnalyticsDataClient } from './google-analytics.js';
import type { GaRunReportResponse } from './google-analytics-port.js';

const window = backfillWindow(Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 26), 'UTC', Date.UTC(2026, 10, 22));

/** A client answering every daily report with `rows` ([date, activeUsers, sessions]), in one page. */
function client(rows: Array<[string, string, string]>): AnalyticsDataClient {
  const data: GaRunReportResponse = {
    metricHeaders: [{ name: 'activeUsers', type: 'TYPE_INTEGER' }, { name: 'sessions', type: 'TYPE_INTEGER' }],
    rows: rows.map(([date, users, sessions]) => ({ dimensionValues: [{ value: date }], metricValues: [{ value: users }, { value: sessions }] })),
    rowCount: rows.length,
    metadata: { timeZone: 'UTC' },
  };
  return { properties: { runReport: async () => ({ data }) } };
}

describe('google-analytics reader: two values for one metric and bucket', () => {
  it('are a row error naming both; neither is written, other buckets and metrics are', async () => {
    const reader = googleAnalyticsReader({ window, propertyId: '42', metrics: { activeUsers: 'ga.active_users', sessions: 'ga.sessions' }, hourly: false });
    const { rows, errors } = await readSourceDirect(reader, {
      googleAnalytics: client([
        ['20261024', '10', '12'],
        ['20261025', '20', '22'],
        ['20261024', '11', '12'], // the 24th again
      ]),
    });
    expect(rows).toEqual([
      { dims: { date: '2026-10-25' }, metrics: { 'ga.active_users': 20, 'ga.sessions': 22 } },
    ]);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      "reader 'google-analytics': property 42: ga.active_users (activeUsers) on 2026-10-24 has two values, 10 and 11 (two report rows for one bucket): GA's figures do not add up; left out",
      "reader 'google-analytics': property 42: ga.sessions (sessions) on 2026-10-24 has two values, 12 and 12 (two report rows for one bucket): GA's figures do not add up; left out",
    ]);
  });
});
