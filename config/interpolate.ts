// `${NAME}` and `${NAME:-default}` in configuration strings, filled from the environment at load time.
import { ConfigError } from '../graph/errors.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Returns a copy of `value` with every `${NAME}` in its strings replaced; `where` names the file. */
export function interpolateEnv(value: unknown, env: Readonly<Record<string, string | undefined>>, where: string, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${where}: ${path || '(root)'}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, where, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, where, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
