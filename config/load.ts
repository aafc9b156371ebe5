// Finds, reads and validates the configuration file once; the result is frozen and passed down.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { ConfigError } from '../graph/errors.js';
import { interpolateEnv } from './interpolate.js';
import { configSchema, type FileConfig } from './schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const CONFIG_FILE_NAME = 'etl.config.json';

/** The project's root: the nearest folder above this module holding package.json (works from dist/ too). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new ConfigError('cannot find the package root (no package.json above the config module)');
    dir = parent;
  }
  return dir;
}

/** The demo configuration shipped with the project (embedded website database, no server). */
export const DEMO_CONFIG_FILE = resolve(packageRoot(), 'examples/demo/etl.config.json');

export interface ConfigSource {
  /** Absolute path of the file read. */
  readonly file: string;
  /** True when no configuration was found and the demo configuration is used. */
  readonly demo: boolean;
}

/**
 * Which file to read: `explicit` (--config), then ETL_CONFIG, then ./etl.config.json in `cwd`;
 * with none of these, the demo configuration.
 */
export function findConfigFile(explicit: string | undefined, env: Env, cwd: string): ConfigSource {
  const chosen = explicit ?? env.ETL_CONFIG;
  if (chosen !== undefined && chosen !== '') {
    const file = resolve(cwd, chosen);
    if (!existsSync(file)) throw new ConfigError(`config file ${chosen} does not exist`);
    return { file, demo: false };
  }
  const local = resolve(cwd, CONFIG_FILE_NAME);
  if (existsSync(local)) return { file: local, demo: false };
  return { file: DEMO_CONFIG_FILE, demo: true };
}

/** One line per issue: `<file>: <prefix>.<key path>: <message>`. */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .map((issue) => {
      const path = `${prefix}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`.replace(/^\./, '');
      const keys = issue.code === 'unrecognized_keys' ? `: ${issue.keys.map((k) => `'${k}'`).join(', ')}` : '';
      return `${file}: ${path || '(root)'}: ${issue.message}${keys}`;
    })
    .join('\n');
}

/** 1-based line and column of a character offset in `text`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

/** 'CommaExpected' -> 'comma expected'. */
function problemText(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
}

/**
 * JSON with comments (`//`, `/* *\/`) and trailing commas, as VS Code's settings; the first syntax error is
 * a ConfigError naming `file:line:column` and the problem.
 */
function parseConfigText(file: string, text: string): unknown {
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined) throw new ConfigError(`${file}:${lineColumn(text, first.offset)}: not valid JSON: ${problemText(first)}`);
  return raw;
}

/** A UTF-8 byte-order mark, as editors on Windows write at the start of a file. */
const BOM = '\uFEFF';

/** Reads and validates one configuration file (JSON with comments, a byte-order mark ignored, `${VAR}` filled from env). */
export function readConfigFile(file: string, env: Env): FileConfig {
  const text = readFileSync(file, 'utf8');
  const raw = parseConfigText(file, text.startsWith(BOM) ? text.slice(BOM.length) : text);
  const parsed = configSchema.safeParse(interpolateEnv(raw, env, file));
  if (!parsed.success) throw new ConfigError(formatIssues(file, parsed.error.issues));
  return parsed.data;
}
