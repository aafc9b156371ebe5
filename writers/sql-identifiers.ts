// SQL identifiers of the metrics database: the schema name comes from configuration, so it is quoted.
import { quoteIdentifier } from '../sql/identifiers.js';

/** The tables of the metrics database, as quoted schema-qualified names. */
export interface MetricsTables {
  readonly schema: string;
  readonly migration: string;
  readonly metric: string;
  readonly hourlyValue: string;
  readonly dailyValue: string;
  readonly jobRun: string;
  readonly setting: string;
  readonly jobState: string;
  readonly partition: string;
  /** Results of checks on metric values (migration 7). */
  readonly checkResult: string;
}

const cache = new Map<string, MetricsTables>();

/** Quoted names of every table in `schema` (computed once per schema). */
export function metricsTables(schema: string): MetricsTables {
  let tables = cache.get(schema);
  if (tables === undefined) {
    const s = quoteIdentifier(schema);
    tables = Object.freeze({
      schema: s,
      migration: `${s}.schema_migration`,
      metric: `${s}.metric`,
      hourlyValue: `${s}.hourly_value`,
      dailyValue: `${s}.daily_value`,
      jobRun: `${s}.job_run`,
      setting: `${s}.setting`,
      jobState: `${s}.job_state`,
      partition: `${s}.partition`,
      checkResult: `${s}.check_result`,
    });
    cache.set(schema, tables);
  }
  return tables;
}
