// ioredis connections made the way BullMQ needs them, with capped reconnect backoff and one log line per outage.
import { Redis, type RedisOptions } from 'ioredis';
import { maskText, maskUrl, urlSecrets } from '../secrets/mask.js';
import type { LogFn, LogLevel } from './transport.js';

/**
 * `worker`: long-lived, blocking commands (BullMQ requires `maxRetriesPerRequest: null`), reconnects forever.
 * `queue`: short-lived producer and admin calls (`etl trigger`, the UI, job-scheduler sync): a command fails
 * after a few reconnect attempts and the connection gives up after about 8 s, so callers get an error, not a hang.
 */
export type RedisRole = 'worker' | 'queue';

export interface RedisConnectionOptions {
  readonly redisUrl: string;
  readonly role: RedisRole;
  /** CLIENT SETNAME of the connection (BullMQ names the worker's blocking connection itself). */
  readonly connectionName?: string;
  /** TCP connect timeout (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  readonly onLog?: LogFn;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;
/** Queue-role connections stop after this many reconnect attempts (0.25 + 0.5 + 1 + 2 + 4 s). */
const QUEUE_ROLE_ATTEMPTS = 5;

/** Delay before reconnect attempt `times` (1-based): 250 ms doubling, capped at 10 s. */
export function reconnectDelayMs(times: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, times - 1), MAX_RETRY_MS);
}

/**
 * Tracks every connection created from one `createRedisConnection` call, duplicates included (a BullMQ
 * Worker duplicates the client it is given into a command and a blocking connection): an outage is logged
 * once when the first connection drops and once more when the last one is back.
 */
class ConnectionMonitor {
  private readonly down = new Set<Redis>();
  private outageSince: number | undefined;
  private lastError: string | undefined;
  private closing = false;
  readonly redis: string;
  private readonly secrets: string[];

  constructor(
    redisUrl: string,
    private readonly onLog: LogFn,
  ) {
    this.redis = maskUrl(redisUrl);
    this.secrets = urlSecrets(redisUrl);
  }

  /** Messages may quote the URL (ioredis does for bad URLs): masked before they are logged or rethrown. */
  mask(text: string): string {
    return maskText(text, this.secrets);
  }

  /** No more outage logs: the owner is closing the connections on purpose. */
  markClosing(): void {
    this.closing = true;
  }

  /** True between the first connection lost and the last one back. */
  inOutage(): boolean {
    return this.outageSince !== undefined;
  }

  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    this.onLog(level, message, { redis: this.redis, ...fields });
  }

  watch(client: Redis): void {
    let wasReady = false;
    // An 'error' listener also keeps ioredis from printing "Unhandled error event" on each failed attempt.
    client.on('error', (error: unknown) => {
      this.lastError = this.mask(error instanceof Error ? error.message : String(error));
    });
    client.on('reconnecting', (delayMs: unknown) => {
      if (this.closing) return;
      this.down.add(client);
      if (this.outageSince !== undefined) return;
      this.outageSince = Date.now();
      const message = wasReady ? 'redis connection lost, reconnecting' : 'redis not reachable, retrying';
      this.log('warn', message, { error: this.lastError, retryInMs: delayMs });
    });
    client.on('ready', () => {
      wasReady = true;
      this.down.delete(client);
      if (this.down.size > 0 || this.outageSince === undefined) return;
      const downMs = Date.now() - this.outageSince;
      this.outageSince = undefined;
      this.lastError = undefined;
      if (!this.closing) this.log('info', 'redis connection restored', { downMs });
    });
    client.on('end', () => {
      this.down.delete(client);
      if (this.down.size === 0) this.outageSince = undefined;
    });
  }

  retryStrategy(role: RedisRole): (times: number) => number | null {
    return (times) => {
      if (role === 'queue' && times > QUEUE_ROLE_ATTEMPTS) {
        if (!this.closing) this.log('error', 'redis not reachable, giving up', { attempts: times - 1, error: this.lastError });
        return null;
      }
      return reconnectDelayMs(times);
    };
  }
}

/** ioredis options with its default (legacy) reply mapping, the one BullMQ reads. */
type BaseOptions = Omit<RedisOptions, 'replyMapping'>;

/**
 * An ioredis client whose duplicates (made by BullMQ for a Worker's two connections) are created the same way
 * and watched by the same monitor, so their reconnects are logged too.
 */
class MonitoredRedis extends Redis {
  constructor(
    private readonly connectionMonitor: ConnectionMonitor,
    private readonly redisUrl: string,
    private readonly baseOptions: BaseOptions,
  ) {
    super(redisUrl, baseOptions);
    connectionMonitor.watch(this);
  }

  override duplicate(override?: Partial<BaseOptions>): Redis {
    return new MonitoredRedis(this.connectionMonitor, this.redisUrl, { ...this.baseOptions, lazyConnect: false, ...override });
  }

  /** Stops outage logging for this client and its duplicates (call before closing them on purpose). */
  markClosing(): void {
    this.connectionMonitor.markClosing();
  }

  /** True while this client or one of its duplicates is reconnecting. */
  inOutage(): boolean {
    return this.connectionMonitor.inOutage();
  }

  /**
   * True for an error the outage logs already cover: a socket error (a Node system error, with `syscall`),
   * or any error while reconnecting (commands failing meanwhile). BullMQ emits one per retried command.
   */
  isOutageError(error: unknown): boolean {
    return this.inOutage() || (error instanceof Error && typeof (error as { syscall?: unknown }).syscall === 'string');
  }

  mask(text: string): string {
    return this.connectionMonitor.mask(text);
  }
}

export type RedisConnection = MonitoredRedis;

function checkRedisUrl(redisUrl: string): void {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    throw new Error(`redis connection: not a URL: ${maskUrl(redisUrl)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`redis connection: expected a redis:// or rediss:// URL, got ${maskUrl(redisUrl)}`);
  }
}

/**
 * An ioredis client for BullMQ. Workers get `maxRetriesPerRequest: null` (BullMQ throws otherwise) and a
 * lazy client: BullMQ only duplicates it, so the template itself never connects. Queue-role clients connect
 * at once and fail commands after 3 reconnects. Both get `connectTimeout` and the capped backoff of
 * reconnectDelayMs; the URL is only ever logged masked.
 */
export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  checkRedisUrl(options.redisUrl);
  const monitor = new ConnectionMonitor(options.redisUrl, options.onLog ?? (() => {}));
  const worker = options.role === 'worker';
  return new MonitoredRedis(monitor, options.redisUrl, {
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: monitor.retryStrategy(options.role),
    maxRetriesPerRequest: worker ? null : 3,
    lazyConnect: worker,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  });
}

/** Read again after an await (TypeScript would keep the narrowed value). */
function statusOf(client: Redis): string {
  return client.status;
}

/** Closes `client` politely (QUIT), or drops it when QUIT has no answer within `timeoutMs`. */
export async function closeRedisConnection(client: RedisConnection, timeoutMs = 2000): Promise<void> {
  client.markClosing();
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.quit().then(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
  } catch {
    // The connection went away on its own: nothing left to close.
  } finally {
    clearTimeout(timer);
    if (statusOf(client) !== 'end') client.disconnect();
  }
}
