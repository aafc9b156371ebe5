// The partition API of a read job (see contract.ts): its calendar, a backfill over a range and a re-run of one
// partition, through the same runtime functions as `etl partitions` / `etl backfill`. Queued runs go to the
// BullMQ workers or the live embedded scheduler; with neither, 409 says what to start.
import type { Context, Hono } from 'hono';
import { UsageError } from '../graph/errors.js';
import { isPartitionedJob, partitionCalendar, queueBackfill, type BackfillQueued, type BackfillRequest } from '../runtime/partitions.js';
import { parsePartitionKey } from '../runs/partitions.js';
import type { Masker } from './api.js';
import type { UiDeps } from './contract.js';
import { calendarRange } from './partition-view.js';

type Status = 200 | 202 | 400 | 404 | 409;

/** A JSON body field the API cannot read: 400 naming it. */
class BadField extends Error {
  override readonly name = 'BadField';
}

function text(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new BadField(`${field}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** The backfill request of a POST body `{ from, to, grain?, only? }`. */
export function backfillRequest(body: unknown): BackfillRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadField('body: expected a JSON object { from, to, grain, only }');
  const fields = body as Record<string, unknown>;
  const from = text(fields, 'from');
  const to = text(fields, 'to');
  if (from === undefined) throw new BadField('from: missing (YYYY-MM-DD)');
  if (to === undefined) throw new BadField('to: missing (YYYY-MM-DD)');
  const grain = text(fields, 'grain') ?? 'day';
  if (grain !== 'day' && grain !== 'hour') throw new BadField(`grain: '${grain}' is not day or hour`);
  const only = text(fields, 'only');
  if (only !== undefined && only !== 'all' && only !== 'failed' && only !== 'missing') throw new BadField(`only: '${only}' is not all, failed or missing`);
  return { from, to, grain, ...(only === 'failed' || only === 'missing' ? { only } : {}) };
}

/** What to run by hand when no scheduler or worker would take the runs. */
export function noRunnerMessage(job: string, request: BackfillRequest): string {
  const range = `--from ${request.from} --to ${request.to}`;
  const options = `${request.grain === 'hour' ? ' --grain hour' : ''}${request.only === undefined ? '' : ` --only ${request.only}`}`;
  return `no scheduler or worker is running to take the runs: start \`etl scheduler\` (or \`etl worker\` with Redis), or run \`etl backfill ${job} ${range}${options}\` in a terminal`;
}

export function registerPartitionApi(app: Hono, deps: UiDeps, mask: Masker): void {
  const { runtime } = deps;
  const json = (c: Context, value: unknown, status: Status = 200): Response => c.json(mask(value) as object, status);
  /** 404 unless `job` is a job with partitions. */
  const check = async (c: Context): Promise<Response | undefined> => {
    const job = c.req.param('job')!;
    if ((await runtime.registry()).get(job) === undefined) return json(c, { error: `no job is named '${job}'` }, 404);
    if (!(await isPartitionedJob(runtime, job))) return json(c, { error: `job '${job}' has no partitions (only read jobs have: 'all' and one per enabled source)` }, 404);
    return undefined;
  };
  /** Bad input (ours or the runtime's UsageError) is 400; anything else goes to the server's error handler. */
  const guarded = async (c: Context, answer: () => Promise<Response>): Promise<Response> => {
    try {
      return (await check(c)) ?? (await answer());
    } catch (error) {
      if (error instanceof BadField || error instanceof UsageError) return json(c, { error: error.message }, 400);
      throw error;
    }
  };
  const queued = (c: Context, job: string, request: BackfillRequest, result: BackfillQueued): Response => {
    if (result.kind === 'no-runner') return json(c, { error: noRunnerMessage(job, request) }, 409);
    if (result.kind === 'nothing') return json(c, { queued: 0, runIds: [], reason: result.reason });
    return json(c, { queued: result.runIds.length, runIds: result.runIds, by: result.by }, 202);
  };

  app.get('/api/jobs/:job/partitions', (c) =>
    guarded(c, async () => json(c, await partitionCalendar(runtime, c.req.param('job'), calendarRange({ from: c.req.query('from'), to: c.req.query('to') }, runtime.config.timeZone)))),
  );

  app.post('/api/jobs/:job/backfill', (c) =>
    guarded(c, async () => {
      const body: unknown = await c.req.json().catch(() => {
        throw new BadField('body: not JSON (send { from, to, grain, only } with Content-Type: application/json)');
      });
      const job = c.req.param('job');
      const request = backfillRequest(body);
      return queued(c, job, request, await queueBackfill(runtime, job, request));
    }),
  );

  app.post('/api/jobs/:job/partitions/:key/run', (c) =>
    guarded(c, async () => {
      const job = c.req.param('job');
      const key = c.req.param('key');
      const partition = parsePartitionKey(key, runtime.config.timeZone);
      if (partition === undefined || partition.key !== key) throw new BadField(`key: '${key}' is not a partition key (a day YYYY-MM-DD, or an hour YYYY-MM-DDTHH:00+hh:mm in ${runtime.config.timeZone})`);
      const date = key.slice(0, 10);
      const request: BackfillRequest = { from: date, to: date, grain: partition.grain, keys: [key] };
      return queued(c, job, request, await queueBackfill(runtime, job, request));
    }),
  );
}
