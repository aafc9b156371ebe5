// `etl worker --lock`: a lock shorter than 1 s is refused (exit 2) before anything is opened (run on dist/: npm run build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const bin = join(resolve(import.meta.dirname, '../..'), 'dist/cli/main.js');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function worker(lock: string): { code: number | null; stderr: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'etl-worker-lock-'));
  dirs.push(cwd);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('ETL_')) env[key] = value;
  // A queue and a PostgreSQL URL that would be used if the option were taken (nothing listens on port 1).
  Object.assign(env, { ETL_DATA_DIR: join(cwd, 'data'), REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://etl@127.0.0.1:1/none' });
  const run = spawnSync(process.execPath, [bin, 'worker', '--lock', lock], { cwd, env, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  return { code: run.status, stderr: run.stderr };
}

describe('etl worker --lock', () => {
  it.each(['500ms', '0s'])('refuses %s (exit 2), saying why', (lock) => {
    const run = worker(lock);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`--lock: '${lock}' is shorter than 1s`);
  });

  it('refuses what is not a duration (exit 2)', () => {
    const run = worker('0');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("--lock: '0' is not a duration");
  });
});
