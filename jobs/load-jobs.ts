// Loads user job modules (compiled JavaScript): every export that is a job joins the registry.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { ConfigError } from '../graph/index.js';
import type { AnyJob } from './registry.js';

function isJob(value: unknown): value is AnyJob {
  const v = value as Partial<AnyJob> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.build === 'function' && Array.isArray(v.services);
}

/** Imports each module (a path relative to `cwd`, or absolute) and returns the jobs it exports. */
export async function loadJobModules(paths: readonly string[], cwd: string): Promise<AnyJob[]> {
  const jobs: AnyJob[] = [];
  for (const path of paths) {
    const file = resolve(cwd, path);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`jobs module ${path}: cannot be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const found = Object.values(module).filter(isJob);
    if (found.length === 0) throw new ConfigError(`jobs module ${path}: exports no job (export the result of defineJob())`);
    jobs.push(...found);
  }
  return jobs;
}
