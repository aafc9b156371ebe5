// The JSON API under /api (see contract.ts): jobs, runs, a run, a job's DOT, and the actions (trigger,
// pause, resume, cancel) through the same functions as the CLI. Every answer goes through the masker.
import type { Context, Hono } from 'hono';
import { toDot } from '../graph/dot.js';
import { cancelRunById, queueManualRun, setJobPaused } from '../runtime/control.js';
import { isRecordStatus, isRunTrigger, RECORD_STATUSES, RUN_TRIGGERS, type RunFilter } from '../runs/run-store.js';
import { isSecretName, maskDeep, urlSecrets } from '../secrets/mask.js';
import type { UiDeps } from './contract.js';
import { jobSummaries } from './jobs-summary.js';
import { queueCounts } from './queue-counts.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export type Masker = <T>(value: T) => T;

/** The secrets this process knows (URL passwords and secret-named variables of its environment, the UI token). */
function knownSecrets(deps: UiDeps): string[] {
  const secrets: string[] = [];
  const { env, database } = deps.runtime.config;
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || value === '') continue;
    if (value.includes('://')) secrets.push(...urlSecrets(value));
    // Short values ("1", "on") would mask ordinary words.
    else if (isSecretName(name) && value.length >= 6) secrets.push(value);
  }
  if (database.databaseUrl !== undefined) secrets.push(...urlSecrets(database.databaseUrl));
  if (database.serve?.password !== undefined) secrets.push(database.serve.password);
  if (deps.token !== undefined) secrets.push(deps.token);
  return secrets.filter((secret) => secret.length >= 3);
}

/** Masks every string inside a JSON value, keys included (maskDeep: URL passwords, then the known secrets). */
export function createMasker(deps: UiDeps): Masker {
  const secrets = knownSecrets(deps);
  return <T>(value: T) => maskDeep(value, secrets);
}

/** A query or path parameter the API cannot read: 400. */
export class BadRequest extends Error {
  override readonly name = 'BadRequest';
}

function wholeNumber(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,15}$/.test(text) || Number(text) < min) throw new BadRequest(`${name}: '${text}' is not a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return Number(text);
}

function runFilter(c: Context): RunFilter & { limit: number } {
  const job = c.req.query('job') || undefined;
  const trigger = c.req.query('trigger') || undefined;
  const status = c.req.query('status') || undefined;
  if (status !== undefined && !isRecordStatus(status)) {
    throw new BadRequest(`status: '${status}' is not a run status (${RECORD_STATUSES.join(', ')})`);
  }
  if (trigger !== undefined && !isRunTrigger(trigger)) {
    throw new BadRequest(`trigger: '${trigger}' is not a run trigger (${RUN_TRIGGERS.join(', ')})`);
  }
  const beforeId = wholeNumber('before', c.req.query('before'), 1);
  const limit = Math.min(wholeNumber('limit', c.req.query('limit'), 1) ?? DEFAULT_PAGE, MAX_PAGE);
  return {
    ...(job === undefined ? {} : { job }),
    ...(trigger === undefined ? {} : { trigger }),
    ...(status === undefined ? {} : { status }),
    ...(beforeId === undefined ? {} : { beforeId }),
    limit,
  };
}

export function registerApi(app: Hono, deps: UiDeps, mask: Masker): void {
  app.get('/api/queue', async (c) => {
    const counts = await queueCounts(deps);
    return counts === undefined ? c.json({ error: 'no queue: the embedded scheduler runs the jobs itself' }, 404) : c.json(mask(counts));
  });
  const { runtime } = deps;
  const json = (c: Context, value: unknown, status: 200 | 400 | 404 | 500 = 200): Response => c.json(mask(value) as object, status);
  const unknownJob = (c: Context, job: string): Response => json(c, { error: `no job is named '${job}'` }, 404);
  const findJob = async (job: string) => (await runtime.registry()).get(job);
  const runId = (c: Context): number => {
    const id = wholeNumber('run id', c.req.param('id'), 1);
    if (id === undefined) throw new BadRequest('run id: missing');
    return id;
  };

  app.get('/api/jobs', async (c) => json(c, await jobSummaries(deps)));

  app.get('/api/jobs/:job/dot', async (c) => {
    const job = await findJob(c.req.param('job'));
    if (job === undefined) return unknownJob(c, c.req.param('job'));
    return json(c, { dot: toDot(job.build({})) });
  });

  app.get('/api/runs', async (c) => {
    const filter = runFilter(c);
    const runs = await (await runtime.runStorage()).runs.list(filter);
    return json(c, { runs, next: runs.length === filter.limit ? runs.at(-1)!.id : null });
  });

  app.get('/api/runs/:id', async (c) => {
    const id = runId(c);
    const run = await (await runtime.runStorage()).runs.get(id);
    return run === undefined ? json(c, { error: `no run ${id}` }, 404) : json(c, run);
  });

  app.post('/api/jobs/:job/trigger', async (c) => {
    const name = c.req.param('job');
    if ((await findJob(name)) === undefined) return unknownJob(c, name);
    const queued = await queueManualRun(runtime, name);
    if (queued.kind === 'no-runner') return json(c, { runId: await deps.runHere(name), by: 'here' });
    return json(c, { runId: queued.runId, by: queued.by });
  });

  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    app.post(`/api/jobs/:job/${action}`, async (c) => {
      const name = c.req.param('job');
      if ((await findJob(name)) === undefined) return unknownJob(c, name);
      await setJobPaused(runtime, name, paused);
      return json(c, { job: name, paused });
    });
  }

  app.post('/api/runs/:id/cancel', async (c) => {
    const id = runId(c);
    const result = await cancelRunById(runtime, id);
    return result === 'unknown' ? json(c, { result, error: `no run ${id}` }, 404) : json(c, { result });
  });
}
