// What Grafana does to a PostgreSQL panel's SQL, for the tests: the production module (dashboards/), re-exported.
export {
  expandMacros, formatInterval, goFloat, grafanaSql, MACRO_REGEX, macroCalls, parseIntervalSeconds, rfc3339Nano,
  type MacroCall, type TimeRange,
} from '../dashboards/macros.js';
export { interpolateVariables, type VariableValue } from '../dashboards/variables.js';
