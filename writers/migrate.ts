// Runs the migrations not yet applied, under an advisory lock, in one transaction; a no-op when up to date.
import { toMetricsDbError } from './errors.js';
import type { MetricsDb, SqlQueryable } from './metrics-db.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.js';
import { oncePerDb } from './per-db.js';
import { metricsTables } from './sql-identifiers.js';

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/** A stable 32-bit key for the schema's advisory lock (FNV-1a), so two processes never migrate at once. */
function lockKey(schema: string): number {
  let hash = 0x811c9dc5;
  for (const char of `etl-migrate:${schema}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The schema's version: 0 when it has never been migrated. */
export async function schemaVersion(db: SqlQueryable, schema: string): Promise<number> {
  const t = metricsTables(schema);
  const exists = await db.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [t.migration]);
  if (exists.rows[0]?.found == null) return 0;
  const res = await db.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${t.migration}`);
  return res.rows[0]?.version ?? 0;
}

/** Applies the missing migrations of `migrations` (default: all of this project's). */
export async function migrate(db: MetricsDb, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const { schema } = db.settings;
  const t = metricsTables(schema);
  try {
    return await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(schema)]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${t.schema}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${t.migration} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = await tx.query<{ version: number }>(`SELECT version FROM ${t.migration}`);
      const appliedBefore = new Set(done.rows.map((r) => r.version));
      const from = Math.max(0, ...appliedBefore);
      const applied: number[] = [];
      for (const migration of migrations) {
        if (appliedBefore.has(migration.version)) continue;
        for (const statement of migration.statements(schema)) await tx.query(statement);
        await tx.query(`INSERT INTO ${t.migration} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
        applied.push(migration.version);
      }
      return { from, to: Math.max(from, ...applied), applied };
    });
  } catch (error) {
    throw toMetricsDbError(`metrics database ${db.target}: migration failed`, error, db.secrets);
  }
}

/** Migrates once per opened database (each run opens its own): writers call this before their first write. */
export const ensureMigrated: (db: MetricsDb) => Promise<MigrationResult> = oncePerDb(migrate);

export { LATEST_SCHEMA_VERSION };
