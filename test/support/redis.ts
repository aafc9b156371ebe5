// Test helper: Redis for integration tests: deleting a test's BullMQ keys, and a private redis-server that can be killed and restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { findExecutable, freePort } from './prometheus.js';

/** Deletes every key matching `<prefix>:*` (a test's BullMQ keys); returns how many. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) deleted += await redis.del(...found);
  } while (cursor !== '0');
  return deleted;
}

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** True while the server process runs. */
  running(): boolean;
  /** SIGKILL: the server vanishes at once, with its data (it keeps nothing on disk). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it answers PING. */
  restart(): Promise<void>;
  /** Kills it for good. */
  stop(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * A redis-server of its own on a free loopback port, without persistence (`--save '' --appendonly no`), so
 * a kill and a restart lose everything, as a Redis restart without persistence does in production.
 */
export async function startPrivateRedis(readyTimeoutMs = 10_000): Promise<PrivateRedis> {
  const binary = findExecutable('redis-server');
  if (binary === undefined) throw new Error("test/support/redis: 'redis-server' not found on PATH: install the Debian package 'redis-server'");
  const port = await freePort();
  let child: ChildProcess | undefined;
  let stderr = '';

  const launch = async (): Promise<void> => {
    const proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-10_000)));
    child = proc;
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await answersPing(port))) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`test/support/redis: redis-server exited (${proc.exitCode ?? proc.signalCode}) on port ${port}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`test/support/redis: redis-server on port ${port} not answering after ${readyTimeoutMs} ms: ${stderr}`);
      await sleep(50);
    }
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: kill,
  };
}
