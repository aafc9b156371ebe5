// The generated pages of the manual are up to date: docs/cli.md says what `etl <command> --help` says, and
// docs/configuration-reference.md what the configuration's schema says (its defaults included). After a change:
// `npm run build && node tools/write-docs.mjs`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cliReference } from '../cli/reference.js';
import { configurationReference, keyRows } from '../config/reference.js';
import { configSchema } from '../config/schema.js';

const root = resolve(import.meta.dirname, '..');
const page = (file: string): string => readFileSync(join(root, file), 'utf8');
const STALE = 'stale: run npm run build && node tools/write-docs.mjs';

describe('docs/cli.md', () => {
  it("is commander's definitions as they are now", () => {
    expect(page('docs/cli.md') === cliReference(), `docs/cli.md is ${STALE}`).toBe(true);
  });

  it('holds what the real `etl read --help` prints', () => {
    const help = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'read', '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(page('docs/cli.md')).toContain(`\`\`\`text\n${help.stdout.trimEnd()}\n\`\`\``);
  });
});

describe('docs/configuration-reference.md', () => {
  it('is the schema as it is now', () => {
    expect(page('docs/configuration-reference.md') === configurationReference(), `docs/configuration-reference.md is ${STALE}`).toBe(true);
  });

  it('lists every key with its default and variable', () => {
    const rows = new Map(keyRows().map((r) => [r.key, r]));
    expect(rows.get('metricsDatabase.url')).toMatchObject({ env: '`DATABASE_URL`', type: 'text' });
    expect(rows.get('sources.<name>.connectTimeout')).toMatchObject({ default: '`10s`', type: 'duration' });
    expect(rows.get('metricsDatabase.lockWait')).toMatchObject({ default: '`1m`', env: '`ETL_LOCK_WAIT`' });
    expect(rows.get('retention.hourlyDays')).toMatchObject({ default: '`90`', env: '`ETL_RETENTION_DAYS`' });
    expect(rows.get('collector.writeKeys[].key')).toMatchObject({ required: true });
    expect([...rows.keys()]).toEqual(expect.arrayContaining(Object.keys(configSchema.shape)));
  });

  it('describes every key (a key without `.meta({ description })` fails here)', () => {
    const undescribed = keyRows()
      .filter((r) => r.description.trim() === '')
      .map((r) => r.key);
    expect(undescribed, 'keys of the configuration schema without a description: add .meta({ description, default })').toEqual([]);
  });

  it('fails for a key added without a description', () => {
    const shape = { ...configSchema.shape, extra: z.strictObject({ described: z.string().meta({ description: 'yes' }), bare: z.number().optional() }) };
    expect(keyRows(shape).filter((r) => r.description === '').map((r) => r.key)).toEqual(['extra', 'extra.bare']);
  });

  it('shows the defaults the readers apply, from their constants', () => {
    const rows = new Map(keyRows().map((r) => [r.key, r]));
    expect(rows.get('readers.spiders.minutes')).toMatchObject({ default: '`10`' });
    expect(rows.get('readers.events.source')).toMatchObject({ default: '`website` (collectedEvents: `collector`)' });
    expect(rows.get('readers.prometheus.timeoutMs')).toMatchObject({ default: '`30000`' });
    expect(rows.get('checks[].grace')).toMatchObject({ default: '`1h`', type: 'duration' });
  });

  it('changes when a default in the schema changes (so the stale check fails)', () => {
    const alerts = configSchema.shape.alerts.unwrap().extend({ timeout: configSchema.shape.alerts.unwrap().shape.timeout.unwrap().default(9_000) });
    const rows = keyRows({ alerts }).filter((r) => r.key === 'alerts.timeout');
    expect(rows).toEqual([expect.objectContaining({ default: '`9s`' })]);
    expect(configurationReference()).toContain('| `alerts.timeout` | duration | `5s` |');
  });
});
