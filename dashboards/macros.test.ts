// Grafana's PostgreSQL macros and template variable formats, reproduced: each expansion below is the one of
// Grafana's macro table (https://grafana.com/docs/grafana/latest/datasources/postgres/query-editor/#macros) as
// its engine writes it (pkg/tsdb/grafana-postgresql-datasource/macros_test.go), and the variable formats of
// https://grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/#advanced-variable-format-options.
import { describe, expect, it } from 'vitest';
import { DashboardQueryError } from './errors.js';
import { calculateIntervalMs, formatInterval, roundInterval } from './intervals.js';
import { expandSql, grafanaSql, prepareSql, type TimeRange } from './macros.js';
import { interpolateVariables, type Variables } from './variables.js';

const range: TimeRange = { from: new Date('2018-04-12T18:00:00Z'), to: new Date('2018-04-12T18:05:00Z') };
const FROM_NS = '1523556000000000000';
const TO_NS = '1523556300000000000';

describe('macros (Grafana docs table, engine output)', () => {
  it.each([
    ['select $__time(dateColumn)', 'select dateColumn AS "time"'],
    ['select $__timeEpoch(dateColumn)', 'select extract(epoch from dateColumn) as "time"'],
    ['WHERE $__timeFilter(dateColumn)', "WHERE dateColumn BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'"],
    ['select $__timeFrom()', "select '2018-04-12T18:00:00Z'"],
    ['select $__timeTo()', "select '2018-04-12T18:05:00Z'"],
    ["SELECT $__timeGroup(dateColumn,'5m')", 'SELECT floor(extract(epoch from dateColumn)/300)*300'],
    ["SELECT $__timeGroup(dateColumn , '5m')", 'SELECT floor(extract(epoch from dateColumn)/300)*300'],
    ["SELECT $__timeGroup(dateColumn,'5m'), value", 'SELECT floor(extract(epoch from dateColumn)/300)*300 AS "time", value'],
    ["SELECT $__timeGroup(dateColumn,'5m') as time, value", 'SELECT floor(extract(epoch from dateColumn)/300)*300 as time, value'],
    ["SELECT $__timeGroupAlias(dateColumn,'5m')", 'SELECT floor(extract(epoch from dateColumn)/300)*300 AS "time"'],
    ["SELECT $__timeGroupAlias(t,'2w')", 'SELECT floor(extract(epoch from t)/1.2096e+06)*1.2096e+06 AS "time"'],
    ["SELECT $__timeGroupAlias(t,'20ms')", 'SELECT floor(extract(epoch from t)/0.02)*0.02 AS "time"'],
    ['select $__unixEpochFilter(dateColumn)', 'select dateColumn >= 1523556000 AND dateColumn <= 1523556300'],
    ['select $__unixEpochFrom(), $__unixEpochTo()', 'select 1523556000, 1523556300'],
    ['select $__unixEpochNanoFilter(dateColumn)', `select dateColumn >= ${FROM_NS} AND dateColumn <= ${TO_NS}`],
    ['select $__unixEpochNanoFrom(), $__unixEpochNanoTo()', `select ${FROM_NS}, ${TO_NS}`],
    ["SELECT $__unixEpochGroup(time_column+time_adjustment,'5m')", 'SELECT floor((time_column+time_adjustment)/300)*300'],
    ["SELECT $__unixEpochGroupAlias(dateColumn,'5m')", 'SELECT floor((dateColumn)/300)*300 AS "time"'],
    ['select $__interval, $__interval_ms', 'select 1m, 60000'],
  ])('%s', (sql, expected) => {
    expect(expandSql(sql, range, 60_000).sql).toBe(expected);
  });

  it('keeps RFC3339Nano fractions without trailing zeros', () => {
    const half = { from: new Date('1960-02-01T07:00:00.500Z'), to: new Date('1980-02-03T08:00:00.500Z') };
    expect(expandSql('$__timeFilter(t) $__unixEpochFilter(e)', half).sql).toBe("t BETWEEN '1960-02-01T07:00:00.5Z' AND '1980-02-03T08:00:00.5Z' e >= -312915600 AND e <= 318412800");
  });

  it('reads the fill argument of the group macros (NULL, previous, a number) as sqleng.SetupFillmode', () => {
    expect(expandSql("$__timeGroupAlias(t,'1h',NULL)", range)).toEqual({ sql: 'floor(extract(epoch from t)/3600)*3600 AS "time"', fill: { intervalMs: 3_600_000, mode: 'null' } });
    expect(expandSql("$__timeGroupAlias(t,'5m', previous)", range).fill).toEqual({ intervalMs: 300_000, mode: 'previous' });
    expect(expandSql("$__unixEpochGroupAlias(t,'1d',0)", range).fill).toEqual({ intervalMs: 86_400_000, mode: 'value', value: 0 });
    expect(expandSql("$__timeGroup(t,'1h')", range).fill).toBeUndefined();
    expect(() => expandSql("$__timeGroup(t,'1h',zero)", range)).toThrow('error parsing fill value zero');
  });

  it('fails as Grafana fails: unknown macro, missing arguments, bad interval', () => {
    expect(() => expandSql('$__nope(x)', range)).toThrow(new DashboardQueryError('unknown macro "__nope"'));
    expect(() => expandSql('$__timeGroup(t)', range)).toThrow('macro __timeGroup needs time column and interval and optional fill value');
    expect(() => expandSql("$__timeGroup(t,'soon')", range)).toThrow("error parsing interval 'soon'");
  });
});

describe('intervals (gtime and kbn.roundInterval)', () => {
  it('formats $__interval with the largest unit that fits and rounds range / resolution to a nice interval', () => {
    expect([formatInterval(90_000), formatInterval(5_400_000), formatInterval(86_400_000 * 2), formatInterval(500)]).toEqual(['1m', '1h', '2d', '500ms']);
    expect([roundInterval(40_000), roundInterval(100_000), roundInterval(4_000_000), roundInterval(30 * 86_400_000), roundInterval(60 * 86_400_000)]).toEqual([30_000, 120_000, 3_600_000, 2_592_000_000, 31_536_000_000]);
    // 30 days over 1000 points: 2592 s raw -> 30 min; a panel interval of 1h is the floor.
    expect(calculateIntervalMs(0, 30 * 86_400_000, 1000)).toBe(1_800_000);
    expect(calculateIntervalMs(0, 30 * 86_400_000, 1000, '1h')).toBe(3_600_000);
    expect(calculateIntervalMs(0, 30 * 86_400_000, 1000, '>1h')).toBe(3_600_000);
  });
});

describe('variables (Grafana syntax and formats)', () => {
  const vars: Variables = {
    one: { value: 'eu-west' },
    many: { value: ['a', 'b'], multi: true },
    opts: { value: ['x', 'y'], multi: true, trusted: true },
  };
  it.each([
    ["'$one'", "'eu-west'"],
    ["'${one}'", "'eu-west'"],
    ["'[[one]]'", "'eu-west'"],
    ['IN ($many)', "IN ('a','b')"],
    ['${many:csv}', 'a,b'],
    ['${many:sqlstring}', "'a','b'"],
    ['${many:singlequote}', "'a','b'"],
    ['${many:doublequote}', '"a","b"'],
    ['${many:pipe}', 'a|b'],
    ['${many:raw}', 'a,b'],
    ['${many:regex}', '(a|b)'],
    ['${many:json}', '["a","b"]'],
    ['${many:glob}', '{a,b}'],
    ['${opts:csv}', 'x,y'],
    ['[[one:sqlstring]]', "'eu-west'"],
    ['$__timeFilter(t) AND $__interval', '$__timeFilter(t) AND $__interval'],
  ])('%s', (sql, expected) => {
    expect(interpolateVariables(sql, vars)).toBe(expected);
  });

  it('writes ${__from} and ${__to} (epoch ms, :date ISO, :date:seconds)', () => {
    expect(interpolateVariables('${__from} ${__to:date} ${__from:date:seconds}', {}, { range })).toBe('1523556000000 2018-04-12T18:05:00.000Z 1523556000');
  });

  it('keeps a URL value inside its quotes in every format, and never reads it as a macro', () => {
    const evil: Variables = { v: { value: "x' OR 1=1 --" }, all: { value: ["a'b"], multi: true } };
    for (const sql of ["'$v'", "'${v:raw}'", "'${v:csv}'", "'${v:pipe}'", "'${v:text}'"]) expect(grafanaSql(sql, range, evil)).toBe("'x'' OR 1=1 --'");
    expect(grafanaSql('${all:singlequote} ${all:sqlstring} ${all:doublequote}', range, evil)).toBe(`'a''b' 'a''b' "a'b"`);
    // Grafana would expand this macro inside the literal and its quotes would close it; here the text stays text.
    const macro: Variables = { v: { value: '$__timeFrom() OR true OR $__timeTo()' } };
    expect(grafanaSql("WHERE name = '$v'", range, macro)).toBe("WHERE name = '$__timeFrom() OR true OR $__timeTo()'");
    // The file's own values (trusted) may carry macros, as in Grafana: `$__timeGroup(t, $step)`.
    expect(prepareSql("$__timeGroupAlias(t, $step)", range, { step: { value: "'1h'", trusted: true } }).sql).toBe('floor(extract(epoch from t)/3600)*3600 AS "time"');
  });

  it('refuses what it does not reproduce: a field path, an unknown format', () => {
    expect(() => interpolateVariables('${one.a}', vars)).toThrow(DashboardQueryError);
    expect(() => interpolateVariables('${one:nope}', vars)).toThrow("format 'nope'");
  });
});
