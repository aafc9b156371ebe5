// A writer killed with SIGKILL in the middle of a 1M-row load, then run again, leaves the same tables as an
// uninterrupted load. The writer runs as a real process from dist/ (npm test builds first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/pg.js';

const child = join(resolve(import.meta.dirname, '..'), 'dist/test/writers-load-child.js');
const ROWS = 1_000_000;

function load(url: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [child, url, String(ROWS)], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function contents(pool: pg.Pool): Promise<Record<string, unknown>> {
  const res = await pool.query(`
    SELECT (SELECT count(*)::int FROM etl.metric) AS metrics,
           (SELECT count(DISTINCT name)::int FROM etl.metric) AS names,
           (SELECT count(*)::int FROM etl.hourly_value) AS hourly,
           (SELECT count(*)::int FROM etl.daily_value) AS daily,
           (SELECT md5(string_agg(m.name || '|' || v.date || '|' || v.hour || '|' || v.value, ',' ORDER BY m.name, v.date, v.hour))
              FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id) AS hourly_md5,
           (SELECT md5(string_agg(m.name || '|' || v.date || '|' || v.value, ',' ORDER BY m.name, v.date))
              FROM etl.daily_value v JOIN etl.metric m ON m.id = v.metric_id) AS daily_md5`);
  return res.rows[0] as Record<string, unknown>;
}

describe('a writer killed with SIGKILL mid-load', () => {
  let killed: TestDatabase;
  let clean: TestDatabase;
  beforeAll(async () => {
    if (!existsSync(child)) throw new Error(`${child} is missing: run \`npm run build\` first (npm test does)`);
    [killed, clean] = await Promise.all([createTestDatabase('etl_writers_killed'), createTestDatabase('etl_writers_clean')]);
  });
  afterAll(async () => {
    await Promise.all([killed?.drop(), clean?.drop()]);
  });

  it('leaves, once run again, tables identical to an uninterrupted load', async () => {
    const proc = spawn(process.execPath, [child, killed.url, String(ROWS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let exited = false;
    proc.on('exit', () => (exited = true));
    let written = 0;
    const deadline = Date.now() + 90_000;
    while (!exited && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      // Before the writer's migration the table does not exist yet (42P01): nothing written so far.
      const res = await killed.pool.query('SELECT count(*)::int AS n FROM etl.hourly_value').catch(() => ({ rows: [{ n: 0 }] }));
      written = res.rows[0].n as number;
      if (written >= 300_000) break;
    }
    expect(exited, 'the load finished before it could be killed').toBe(false);
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    expect(proc.signalCode).toBe('SIGKILL');
    const partial = await contents(killed.pool);
    expect(partial.hourly).toBeGreaterThanOrEqual(300_000);
    expect(partial.hourly).toBeLessThan(ROWS);

    const rerun = load(killed.url);
    expect(rerun.code, rerun.stderr).toBe(0);
    const full = load(clean.url);
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ status: 'succeeded' });

    const [after, reference] = [await contents(killed.pool), await contents(clean.pool)];
    expect(reference).toMatchObject({ metrics: 200, names: 200, hourly: ROWS, daily: 41_600 });
    expect(after).toEqual(reference);
  }, 300_000);
});
