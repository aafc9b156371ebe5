// Metric names to ids: get-or-create in two set-based statements, cached for the run, safe under concurrency.
import { toMetricsDbError } from './errors.js';
import type { MetricsDb } from './metrics-db.js';
import { metricsTables } from './sql-identifiers.js';

export interface MetricRegistry {
  /** The id of a name already resolved in this run, or undefined. */
  cached(name: string): number | undefined;
  /** Resolves every name (creating the missing ones) and caches the ids; returns name -> id. */
  resolve(names: Iterable<string>): Promise<ReadonlyMap<string, number>>;
}

/**
 * A registry over `db`. New names are inserted sorted (so two writers creating overlapping sets never
 * deadlock) with ON CONFLICT DO NOTHING, then read back in a second statement, which sees the rows a
 * concurrent writer committed meanwhile: no duplicate, no error.
 */
export function createMetricRegistry(db: MetricsDb): MetricRegistry {
  const t = metricsTables(db.settings.schema);
  const ids = new Map<string, number>();
  const insert = `INSERT INTO ${t.metric} (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING`;
  const select = `SELECT id, name FROM ${t.metric} WHERE name = ANY($1::text[])`;
  return {
    cached: (name) => ids.get(name),
    async resolve(names) {
      const missing = [...new Set(names)].filter((name) => !ids.has(name)).sort();
      if (missing.length > 0) {
        try {
          await db.query(insert, [missing]);
          const found = await db.query<{ id: number; name: string }>(select, [missing]);
          for (const row of found.rows) ids.set(row.name, Number(row.id));
        } catch (error) {
          throw toMetricsDbError(`metric registry (${db.target})`, error, db.secrets);
        }
        const lost = missing.filter((name) => !ids.has(name));
        if (lost.length > 0) throw toMetricsDbError('metric registry', new Error(`metrics not found after insert: ${lost.join(', ')}`));
      }
      return ids;
    },
  };
}

const registries = new WeakMap<MetricsDb, MetricRegistry>();

/** The registry of an opened database, shared by the writers of one run (each run opens its own db). */
export function metricRegistryFor(db: MetricsDb): MetricRegistry {
  let registry = registries.get(db);
  if (registry === undefined) {
    registry = createMetricRegistry(db);
    registries.set(db, registry);
  }
  return registry;
}
