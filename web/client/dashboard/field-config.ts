// A field's display settings as Grafana resolves them: fieldConfig.defaults, then every override whose matcher
// (byName, byRegexp, byType, byFrameRefID) takes the field, property by property (unit, decimals, min, max,
// thresholds, color, displayName, noValue, mappings, custom.*).
import type { FieldJson } from '../view/dashboard-wire.js';
import { list, numberOr, record, textOr, type FieldConfigSpec, type Json, type OverrideSpec } from './panel-spec.js';

export interface ThresholdStep {
  readonly color: string;
  /** null: the base step (from minus infinity). */
  readonly value: number | null;
}

export interface FieldDisplay {
  readonly unit: string;
  readonly decimals: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly thresholds: readonly ThresholdStep[];
  /** Grafana's color: `{ mode: 'fixed', fixedColor }`, 'thresholds', 'palette-classic'... */
  readonly colorMode: string;
  readonly fixedColor: string | undefined;
  readonly displayName: string | undefined;
  readonly noValue: string | undefined;
  readonly mappings: readonly unknown[];
  readonly custom: Json;
}

/** What a matcher compares: the field's name, the name shown, its type, its frame's refId. */
export interface FieldIdentity {
  readonly name: string;
  readonly shownName: string;
  readonly type: FieldJson['type'];
  readonly refId: string;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function regexpOf(pattern: string): RegExp | undefined {
  const literal = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  try {
    return literal === null ? new RegExp(`^(?:${pattern})$`) : new RegExp(literal[1]!, literal[2]);
  } catch {
    return undefined;
  }
}

export function matches(override: OverrideSpec, field: FieldIdentity): boolean {
  const { id, options } = override.matcher;
  if (id === 'byName') return options === field.name || options === field.shownName;
  if (id === 'byRegexp') {
    const re = regexpOf(options);
    return re !== undefined && (re.test(field.name) || re.test(field.shownName));
  }
  if (id === 'byType') return options === field.type;
  if (id === 'byFrameRefID') return options === field.refId;
  return false;
}

function thresholdsOf(value: unknown): ThresholdStep[] {
  return list(record(value).steps).map((s) => ({ color: textOr(record(s).color, 'green'), value: optionalNumber(record(s).value) ?? null }));
}

/** `config` (a fieldConfig object: defaults, or defaults with the overrides' properties set) as settings. */
function displayOf(config: Json): FieldDisplay {
  const color = record(config.color);
  return {
    unit: textOr(config.unit, ''),
    decimals: optionalNumber(config.decimals),
    min: optionalNumber(config.min),
    max: optionalNumber(config.max),
    thresholds: thresholdsOf(config.thresholds),
    colorMode: textOr(color.mode, 'palette-classic'),
    fixedColor: typeof color.fixedColor === 'string' ? color.fixedColor : undefined,
    displayName: typeof config.displayName === 'string' && config.displayName !== '' ? config.displayName : undefined,
    noValue: typeof config.noValue === 'string' ? config.noValue : undefined,
    mappings: list(config.mappings),
    custom: record(config.custom),
  };
}

/** `config` with property `id` (`unit`, `custom.width`...) set to `value`. */
function withProperty(config: Json, id: string, value: unknown): Json {
  if (id.startsWith('custom.')) return { ...config, custom: { ...record(config.custom), [id.slice('custom.'.length)]: value } };
  return { ...config, [id]: value };
}

export function fieldDisplay(fieldConfig: FieldConfigSpec, field: FieldIdentity): FieldDisplay {
  let config: Json = fieldConfig.defaults;
  for (const override of fieldConfig.overrides) {
    if (!matches(override, field)) continue;
    for (const property of override.properties) config = withProperty(config, property.id, property.value);
  }
  return displayOf(config);
}

/** The color of `value` on the threshold steps (the last step at or below it; the base step otherwise). */
export function thresholdColor(steps: readonly ThresholdStep[], value: number | null): string | undefined {
  let color = steps[0]?.color;
  if (value === null) return color;
  for (const step of steps) if (step.value === null || value >= step.value) color = step.color;
  return color;
}

/** A value mapping's text and color for `value` (type 'value' and 'range' mappings), if one applies. */
export function mapped(mappings: readonly unknown[], value: unknown): { readonly text?: string; readonly color?: string } | undefined {
  for (const mapping of mappings) {
    const m = record(mapping);
    const options = record(m.options);
    if (m.type === 'value' && value !== null && value !== undefined) {
      const hit = options[String(value)];
      if (hit !== undefined) return { ...(typeof record(hit).text === 'string' ? { text: String(record(hit).text) } : {}), ...(typeof record(hit).color === 'string' ? { color: String(record(hit).color) } : {}) };
    }
    if (m.type === 'range' && typeof value === 'number') {
      const from = numberOr(options.from, -Infinity);
      const to = numberOr(options.to, Infinity);
      const result = record(options.result);
      if (value >= from && value <= to) return { ...(typeof result.text === 'string' ? { text: result.text } : {}), ...(typeof result.color === 'string' ? { color: result.color } : {}) };
    }
  }
  return undefined;
}
