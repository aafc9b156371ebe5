// The metrics database and its writers: schema + migrations, two backends, the metric registry, the
// hourly/daily upsert writers, cleanup and listing.
export { METRICS_DB_SERVICE, type MetricsDb, type MetricsDbBackend, type MetricsDbSettings, type SqlQueryable, type SqlResult, type SqlTransaction } from './metrics-db.js';
export { openMetricsDb, metricsDbSettings, pgliteDir, DEFAULT_SCHEMA, DEFAULT_HOURLY_RETENTION_DAYS, DEFAULT_RUN_RETENTION_DAYS, type MetricsDbConfig } from './open-metrics-db.js';
export { postgresMetricsDb, openPostgresPool, type PgPoolLike, type PostgresMetricsDbOptions } from './postgres-metrics-db.js';
export { pgliteMetricsDb, type PgliteLike, type PgliteMetricsDbOptions } from './pglite-metrics-db.js';
export { migrate, ensureMigrated, schemaVersion, LATEST_SCHEMA_VERSION, type MigrationResult } from './migrate.js';
export { MIGRATIONS, MAX_METRIC_NAME_LENGTH, type Migration } from './migrations.js';
export { createMetricRegistry, metricRegistryFor, type MetricRegistry } from './metric-registry.js';
export { hourlyWriter, dailyWriter, DEFAULT_WRITER_BATCH_SIZE, type WriterOptions } from './value-writer.js';
export { cleanMetrics, type CleanOptions, type CleanResult } from './cleanup.js';
export { listMetrics, type MetricsFilter, type MetricSummary } from './list-metrics.js';
export { describeMetricsDb, type MetricsDbInfo } from './db-info.js';
export { InvalidRowError, MetricsDbError } from './errors.js';
export { metricsTables, type MetricsTables } from './sql-identifiers.js';
export { toMetricsDbError, sqlState } from './errors.js';
export { ensureTimeZone, recordedTimeZone, setTimeZone, TimeZoneMismatchError } from './time-zone.js';
