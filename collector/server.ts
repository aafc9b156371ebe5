// The collector on @hono/node-server (the fast path, if given, first): listen (with request and header timeouts), and stop by letting the writes
// in flight commit before the store closes.
import { createServer, type RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { listen } from '../net/listen.js';
import type { BatchWriter } from './batch-writer.js';
import type { EventStore } from './event-store.js';
import type { FastPath } from './fast-path.js';

export interface StartCollectorOptions {
  readonly app: Hono;
  readonly writer: BatchWriter;
  readonly store: EventStore;
  readonly host: string;
  /** 0: any free port (the URL says which). */
  readonly port: number;
  /** Takes the requests it can answer (the two POST endpoints) before the app sees them. */
  readonly fastPath?: FastPath;
}

export interface RunningCollector {
  readonly url: string;
  readonly port: number;
  /** Stops listening, writes what is buffered, closes the store. */
  close(): Promise<void>;
}

/** A slow client may take this long to send its headers / its whole request. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** On close, connections still busy after this are cut. */
const FORCE_CLOSE_MS = 10_000;

export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const { host, port } = options;
  const hostname = host.replace(/^\[(.*)\]$/, '$1');
  const app = getRequestListener(options.app.fetch, { hostname });
  const { fastPath } = options;
  const listener: RequestListener = fastPath === undefined ? app : (req, res) => void (fastPath(req, res) || app(req, res));
  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, listener);
  const { port: bound, url } = await listen(server, { host, port, what: 'collector', portHint: 'pass another with --port or collector.port', hostHint: '--host, collector.host' });
  let closing: Promise<void> | undefined;
  return {
    url,
    port: bound,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests in progress get their answer; a client that keeps its connection busy is cut after a while.
        const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_MS).unref();
        await stopped;
        clearTimeout(force);
        await options.writer.close();
        await options.store.close();
      })();
      return closing;
    },
  };
}
