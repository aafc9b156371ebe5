// The one door to the queue: the transport of a queue URL, chosen by its scheme (the transport's code loaded only then).
import { UsageError } from '../graph/errors.js';
import { maskUrl } from '../secrets/mask.js';
import type { QueueConnectionOptions, QueueTransport } from './transport.js';

type OpenTransport = (options: QueueConnectionOptions) => QueueTransport;

const bullmq = async (): Promise<OpenTransport> => (await import('./bullmq-transport.js')).bullmqTransport;

/** Transports by URL scheme; each is imported when first opened (`etl --help` loads no BullMQ). */
const TRANSPORTS: ReadonlyMap<string, () => Promise<OpenTransport>> = new Map([
  ['redis:', bullmq],
  ['rediss:', bullmq],
]);

/** `redis:` of `redis://host`; undefined without a `scheme://`. */
function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url.trim())?.[1]?.toLowerCase();
}

/** The transport of `options.url`; a UsageError naming the option and the known schemes for any other URL. */
export async function openQueueTransport(options: QueueConnectionOptions): Promise<QueueTransport> {
  const scheme = schemeOf(options.url);
  const load = scheme === undefined ? undefined : TRANSPORTS.get(scheme);
  if (load === undefined) {
    const known = [...TRANSPORTS.keys()].map((s) => `${s}//`).join(', ');
    throw new UsageError(`queue URL ${JSON.stringify(maskUrl(options.url))} (scheduler.redisUrl or REDIS_URL): ${scheme === undefined ? 'no scheme' : `unknown scheme ${JSON.stringify(scheme)}`}; known: ${known}`);
  }
  return (await load())(options);
}
