// Binding an HTTP server to a configured host and port, for every server of the house (the web UI, the
// collector, the metrics endpoint): a taken port or an unknown address is a usage error naming the option to
// change; the URL it answers on is written with IPv6 brackets.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../graph/errors.js';

export interface ListenOptions {
  /** A host name or address, IPv6 with or without brackets. */
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** What is listening, as the messages name it ("web UI"). */
  readonly what: string;
  /** How to choose another port ("pass another with --port"). */
  readonly portHint: string;
  /** Where the host comes from ("--host"). */
  readonly hostHint: string;
}

export interface Bound {
  /** The port bound (the one asked for, or the free one chosen for 0). */
  readonly port: number;
  /** http://host:port, IPv6 in brackets. */
  readonly url: string;
}

/** `host` as it stands in a URL: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Listens on `options.host`:`options.port`; rejects with a UsageError naming the option when it cannot. */
export async function listen(server: Server, options: ListenOptions): Promise<Bound> {
  const { host, port, what } = options;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(`${what}: port ${port} on ${host} is in use: ${options.portHint} (0: any free port)`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UsageError(`${what}: cannot listen on ${host}: no such local address (${options.hostHint})`));
      else reject(error);
    });
    server.listen(port, host.replace(/^\[(.*)\]$/, '$1'), () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, url: `http://${urlHost(host)}:${bound}` };
}
