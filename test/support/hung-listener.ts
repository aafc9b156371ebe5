// Test helper: a TCP server on 127.0.0.1 that accepts connections and never answers (a hung database or API).
import { createServer, type Server, type Socket } from 'node:net';

export interface HungListener {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/** Listens on an ephemeral port of 127.0.0.1; every connection is kept open and never written to. */
export async function startHungListener(): Promise<HungListener> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    port: await listenLocal(server, 'hung listener'),
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Listens on an ephemeral port of 127.0.0.1; resolves with the port. */
export async function listenLocal(server: Server, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${what}: no TCP address`);
  return address.port;
}
