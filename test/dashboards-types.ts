// The Grafana dashboard JSON checked against Grafana's own types (@grafana/schema) by tsc: a wrong field type,
// a missing required field or an unknown key anywhere in dashboards/business-metrics.json fails the build.
//
// A JSON import is typed with widened literals (`"row"` is `string`, `1` is `number`), so the JSON is checked
// against Widen<the Grafana type> (every literal union and enum becomes its base type), and separately for keys
// the Grafana type does not have (tsc does not flag extra properties of a non-literal object on its own).
// What widening cannot see (which string a literal-typed field holds) test/dashboards.test.ts checks at run time.
import type { AnnotationQuery, Dashboard, DataQuery, FieldConfig, FieldConfigSource, Panel, RowPanel } from '@grafana/schema';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { FieldConfig as TableFieldConfig, Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type { FieldConfig as TimeSeriesFieldConfig, Options as TimeSeriesOptions } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import businessMetricsJson from '../dashboards/business-metrics.json' with { type: 'json' };

/** A query of Grafana's PostgreSQL datasource as a dashboard stores it (code editor, raw SQL). */
export interface PostgresQuery extends DataQuery {
  datasource: { type: 'grafana-postgresql-datasource'; uid: string };
  editorMode: 'code';
  format: 'time_series' | 'table';
  rawQuery: true;
  rawSql: string;
}

/** Field defaults with the panel plugin's own `custom` options (Grafana's FieldConfig allows any key there). */
type TypedFieldConfigSource = Omit<FieldConfigSource, 'defaults'> & {
  defaults: Omit<FieldConfig, 'custom'> & { custom?: Partial<TimeSeriesFieldConfig> | Partial<TableFieldConfig> };
};

/** A panel of one of the plugins this project's dashboards use, with that plugin's options and SQL targets. */
export interface TypedPanel extends Omit<Panel, 'options' | 'targets' | 'fieldConfig' | 'datasource'> {
  datasource: PostgresQuery['datasource'];
  options: StatOptions | TimeSeriesOptions | TableOptions;
  fieldConfig: TypedFieldConfigSource;
  targets: PostgresQuery[];
}

export interface TypedRow extends Omit<RowPanel, 'panels'> {
  panels: TypedPanel[];
}

export interface TypedDashboard extends Omit<Dashboard, 'panels' | 'annotations'> {
  panels: Array<TypedPanel | TypedRow>;
  annotations: { list: Array<AnnotationQuery<PostgresQuery>> };
}

/** T with every string/number/boolean literal (and enum) replaced by its base type, deeply. */
export type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer E)[]
        ? Array<Widen<E>>
        : T extends object
          ? { [K in keyof T]: Widen<T[K]> }
          : T;

/** Every key of every member of a union (keyof of a union gives only the common keys). */
type KeysOf<T> = T extends unknown ? keyof T : never;
type ValueAt<T, K> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/**
 * J with the type of every key that T does not declare (at any depth) replaced by `never`, so assigning a
 * value of type J to it fails on the first unknown key, naming its path. Where T is `unknown` (or an open
 * Record), anything is allowed.
 */
export type NoUnknownKeys<J, T> = unknown extends T
  ? J
  : J extends readonly (infer JE)[]
    ? NonNullable<T> extends readonly (infer TE)[]
      ? Array<NoUnknownKeys<JE, TE>>
      : J
    : J extends object
      ? { [K in keyof J]: K extends KeysOf<NonNullable<T>> ? NoUnknownKeys<J[K], ValueAt<NonNullable<T>, K>> : never }
      : J;

/** The business-metrics dashboard, type-checked (field types and keys) against Grafana's types. */
export const businessMetricsDashboard: Widen<TypedDashboard> = businessMetricsJson;
const businessMetricsKeys: NoUnknownKeys<typeof businessMetricsJson, TypedDashboard> = businessMetricsJson;
void businessMetricsKeys;
