// Batches come out sorted by key with the last row of a duplicated key kept; failures stop the writer.
import { describe, expect, it } from 'vitest';
import { runNodeOver } from '../test/support/node-testing.js';
import { METRICS_DB_SERVICE } from './metrics-db.js';
import { openMetricsDb } from './open-metrics-db.js';
import { ValueBatch, sortedLastWins } from './value-batch.js';
import { dailyWriter, hourlyWriter } from './value-writer.js';

describe('ValueBatch', () => {
  it('takes values sorted by (metric, day, hour), the later of two equal keys winning', () => {
    const batch = new ValueBatch();
    const input: Array<[number, number, number, number]> = [
      [2, 100, 5, 1],
      [1, 101, 0, 2],
      [1, 100, 23, 3],
      [2, 100, 5, 4],
      [1, -5, 3, 5],
      [1, 100, 23, 6],
    ];
    for (let r = 0; r < 700; r++) for (const [id, day, hour, value] of input) batch.push(id, day + r * 1000, hour, value + r);
    const out = batch.take();
    expect(out.accepted).toBe(4200);
    expect(out.count).toBe(2800);
    const first = Array.from({ length: 4 }, (_, k) => [out.metricIds[k], out.days[k], out.hours[k], out.values[k]]);
    expect(first).toEqual([
      [1, -5, 3, 5],
      [1, 100, 23, 6],
      [1, 101, 0, 2],
      [1, 995, 3, 6],
    ]);
    expect(batch.length).toBe(0);
  });

  it('reuses its arrays every other take: a batch in flight keeps its values while the next is taken', () => {
    const batch = new ValueBatch();
    batch.push(1, 10, 0, 1.5);
    const first = batch.take();
    batch.push(2, 20, 1, 2.5);
    batch.push(3, 30, 2, 3.5);
    const second = batch.take();
    expect([...first.metricIds, ...first.values]).toEqual([1, 1.5]);
    expect([...second.metricIds, ...second.values]).toEqual([2, 3, 2.5, 3.5]);
    batch.push(4, 40, 3, 4.5);
    const third = batch.take();
    expect(third.metricIds.buffer).toBe(first.metricIds.buffer);
    expect([...third.metricIds, ...second.metricIds]).toEqual([4, 2, 3]);
  });

  it('sorts ids too large to pack with a comparator, same result', () => {
    const ids = Int32Array.from([2 ** 30, 5, 2 ** 30, 5]);
    const days = Int32Array.from([1, 2, 1, 2]);
    const hours = Int16Array.from([0, 0, 0, 0]);
    expect([...sortedLastWins(ids, days, hours, 4)]).toEqual([3, 2]);
  });
});

describe('writers', () => {
  // Rows of the other kind are skipped without an error: see 'writes hourly rows to hourly_value...' in value-writer.test.ts.
  it('stop with an unrecoverable error naming the writer when the database is down, password masked', async () => {
    const db = await unreachable();
    const result = await runNodeOver(dailyWriter(), [{ dims: { date: '2026-01-01' }, metrics: { a: 1 } }], { services: { [METRICS_DB_SERVICE]: db } });
    await db.close();
    expect(result.status).toBe('failed');
    expect(result.stats.fatal).toMatch(/^MetricsDbError: metrics database postgres:\/\/etl:\*\*\*@127\.0\.0\.1:1\/none: migration failed: .*ECONNREFUSED/);
    expect(result.error).not.toContain('hunter2');
  });
});

function unreachable() {
  return openMetricsDb({ databaseUrl: 'postgres://etl:hunter2@127.0.0.1:1/none', dataDir: '/nonexistent' });
}
