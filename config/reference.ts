// docs/configuration-reference.md from the configuration's zod schema: every key with its type, default,
// environment variable and meaning. Defaults come from the schema (`.default()`) or from the key's `.meta()`
// (`default`, `env`, `description`), so changing one in the schema changes this page (a test compares it).
import { z } from 'zod';
import { formatDuration } from '../graph/duration.js';
import { configSchema } from './schema.js';

/** What `.meta()` of a configuration key may say. */
export interface KeyMeta {
  readonly description?: string;
  /**
   * The default as written in the file ('10s', 'etl'), when the schema has no `.default()`: shown as code,
   * unless it holds code spans of its own ('`website` (collectedEvents: `collector`)'), shown as it is.
   */
  readonly default?: string;
  /** The environment variable that wins over the key. */
  readonly env?: string;
  /** A type name shown instead of the schema's ('duration'). */
  readonly type?: string;
}

export interface KeyRow {
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly default: string;
  readonly env: string;
  readonly description: string;
}

type Def = { readonly type: string } & Record<string, unknown>;
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const metaOf = (schema: z.ZodType): KeyMeta => (z.globalRegistry.get(schema) ?? {}) as KeyMeta;

/** A key's schema without its wrappers (optional, default, pipes), with what they said. */
interface Unwrapped {
  readonly core: z.ZodType;
  readonly meta: KeyMeta;
  readonly optional: boolean;
  readonly defaultValue?: unknown;
}

function unwrap(schema: z.ZodType): Unwrapped {
  let meta: KeyMeta = {};
  let optional = false;
  let defaultValue: unknown;
  let current = schema;
  for (;;) {
    meta = { ...metaOf(current), ...meta };
    const def = defOf(current);
    if (def.type === 'optional') optional = true;
    else if (def.type === 'default') {
      optional = true;
      const value = def.defaultValue;
      defaultValue = typeof value === 'function' ? (value as () => unknown)() : value;
    } else if (def.type === 'pipe' && defOf(def.in as z.ZodType).type === 'transform') {
      current = def.out as z.ZodType; // z.preprocess(fn, schema): the schema is what the file holds once converted
      continue;
    } else return { core: current, meta, optional, ...(defaultValue === undefined ? {} : { defaultValue }) };
    current = def.innerType as z.ZodType;
  }
}

function typeName(schema: z.ZodType, meta: KeyMeta): string {
  if (meta.type !== undefined) return meta.type;
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return 'object';
    case 'array':
      return `list of ${typeName(unwrap(def.element as z.ZodType).core, unwrap(def.element as z.ZodType).meta)}`;
    case 'record':
      return 'object';
    case 'enum':
      return Object.values(def.entries as Record<string, string>).map((v) => `\`"${v}"\``).join(' or ');
    case 'literal':
      return (def.values as unknown[]).map((v) => `\`${JSON.stringify(v)}\``).join(' or ');
    case 'union':
      return [...new Set((def.options as z.ZodType[]).map((o) => typeName(unwrap(o).core, unwrap(o).meta)))].join(' or ');
    case 'number':
      return (schema as z.ZodNumber).isInt ? 'integer' : 'number';
    case 'string':
      return 'text';
    default:
      return def.type;
  }
}

function shownDefault(value: unknown, type: string): string {
  if (value === undefined) return '';
  if (type === 'duration' && typeof value === 'number') return `\`${formatDuration(value)}\``;
  return `\`${JSON.stringify(value)}\``;
}

/** The objects a key's value may be (an object, the objects of a union, of a list's elements...). */
function childObjects(schema: z.ZodType): { readonly suffix: string; readonly shape: Record<string, z.ZodType> }[] {
  const def = defOf(schema);
  if (def.type === 'object') return [{ suffix: '', shape: def.shape as Record<string, z.ZodType> }];
  if (def.type === 'union') return (def.options as z.ZodType[]).flatMap((o) => childObjects(unwrap(o).core));
  if (def.type === 'array') return childObjects(unwrap(def.element as z.ZodType).core).map((c) => ({ ...c, suffix: `[]${c.suffix}` }));
  if (def.type === 'record') {
    const value = unwrap(def.valueType as z.ZodType).core;
    return childObjects(value).map((c) => ({ ...c, suffix: `.<name>${c.suffix}` }));
  }
  return [];
}

/** Every key under `shape`, depth first, in the schema's order. */
export function keyRows(shape: Record<string, z.ZodType> = configSchema.shape as Record<string, z.ZodType>, prefix = ''): KeyRow[] {
  return Object.entries(shape).flatMap(([name, schema]) => {
    const key = `${prefix}${name}`;
    const { core, meta, optional, defaultValue } = unwrap(schema);
    const type = typeName(core, meta);
    const row: KeyRow = {
      key,
      type,
      required: !optional,
      default: meta.default === undefined ? shownDefault(defaultValue, type) : meta.default.includes('`') ? meta.default : `\`${meta.default}\``,
      env: meta.env === undefined ? '' : `\`${meta.env}\``,
      description: meta.description ?? '',
    };
    return [row, ...childObjects(core).flatMap((child) => keyRows(child.shape, `${key}${child.suffix}.`))];
  });
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const HEADER = `# Configuration reference

After reading this page you know every key of \`etl.config.json\`: its type, its default, the environment
variable that wins over it, and what it does. Generated from the configuration's schema (\`config/schema.ts\`
and the readers' option schemas) by \`node tools/write-docs.mjs\` (after \`npm run build\`): do not edit by hand;
a test fails when this page and the schema differ. How the file is found, \`\${VAR}\` placeholders, comments:
[configuration](configuration.md). A key marked *required* is required when its section is present.
`;

/** The markdown of docs/configuration-reference.md. */
export function configurationReference(): string {
  const rows = keyRows().map(
    (r) => `| \`${r.key}\` | ${cell(r.type)}${r.required ? ', *required*' : ''} | ${cell(r.default)} | ${cell(r.env)} | ${cell(r.description)} |`,
  );
  return `${HEADER}\n| key | type | default | environment | what |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
}
