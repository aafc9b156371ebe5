// `etl read <source> --json` through the real binary on the demo: the rows stream out as they come, and the output
// is still one JSON array, byte for byte what JSON.stringify of all the rows prints, with the table's values.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricRow } from '../metrics/row.js';
import { processRunner } from './support/processes.js';

const bin = join(resolve(import.meta.dirname, '..'), 'dist/cli/main.js');

let scratch: string;
const runner = processRunner({ cwd: () => scratch, killAfterMs: 180_000 });

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'etl-read-json-'));
  mkdirSync(join(scratch, 'run'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const etl = (args: readonly string[]) =>
  runner.start(process.execPath, [bin, ...args], { cwd: join(scratch, 'run'), env: { ETL_DATA_DIR: join(scratch, 'data'), XDG_CACHE_HOME: join(scratch, 'xdg') } }).done;

describe('etl read --json', () => {
  it('prints one JSON array of the rows (the values the table lists), as JSON.stringify would', async () => {
    const day = (ago: number): string => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    const window = ['--from', day(3), '--to', day(1)]; // two past days (the demo is in UTC): the same for both reads
    const json = await etl(['read', 'events', '--json', ...window]);
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as MetricRow[];
    expect(json.stdout).toBe(`${JSON.stringify(rows)}\n`);
    expect(rows.filter((r) => r.dims.hour !== undefined)).toHaveLength(48);
    expect(rows.filter((r) => r.dims.hour === undefined)).toHaveLength(2);
    const table = await etl(['read', 'events', ...window]);
    expect(table.code, table.stderr).toBe(0);
    const values = rows.reduce((n, row) => n + Object.keys(row.metrics).length, 0);
    expect(table.stdout.trimEnd().split('\n').pop()).toBe(`${values} values`);
  }, 240_000);
});
