// `etl run` records runs of jobs that use the metrics database; `etl runs` lists them (real PostgreSQL).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/pg.js';

const bin = resolve(import.meta.dirname, '../dist/cli/main.js');
let metrics: TestDatabase;

function etl(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: metrics.url }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  metrics = await createTestDatabase('etl_runs_cli');
});
afterAll(async () => {
  await metrics?.drop();
});

describe('etl runs', () => {
  it('lists the runs `etl run` recorded, newest first, with their per-node counts', async () => {
    expect(etl(['runs']).stderr).toContain('no runs recorded yet');
    const first = etl(['run', 'clean']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/recorded as run (\d+) \(etl runs\)/);
    const second = etl(['run', 'clean']);
    const ids = [first, second].map((r) => Number(/recorded as run (\d+)/.exec(r.stderr)![1]));

    const listed = etl(['runs', '--json']);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as Array<{ id: number; job: string; trigger: string; status: string; nodes: Array<{ name: string; status: string }> }>;
    expect(runs.map((r) => [r.id, r.job, r.trigger, r.status])).toEqual([
      [ids[1], 'clean', 'manual', 'succeeded'],
      [ids[0], 'clean', 'manual', 'succeeded'],
    ]);
    expect(runs[0]!.nodes.every((n) => n.status === 'succeeded')).toBe(true);
    const { rows } = await metrics.pool.query('SELECT count(*)::int AS n FROM etl.job_run WHERE finished_at IS NOT NULL');
    expect(rows[0].n).toBe(2);

    const text = etl(['runs', '--limit', '1']);
    expect(text.stdout.split("\n")[0]).toMatch(/^id\s+job\s+trigger\s+try\s+status\s+scheduled for\s+started\s+duration\s+process\s+error$/);
    expect(text.stdout.trim().split('\n')).toHaveLength(2);
    expect(etl(['runs', '--job', 'all']).stderr).toContain('no runs recorded yet');
  });

  it('rejects bad options with exit 2', () => {
    const status = etl(['runs', '--status', 'exploded']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain("--status: 'exploded' is not one of queued, running, succeeded, failed, cancelled");
    expect(etl(['runs', '--limit', '0']).code).toBe(2);
  });
});
