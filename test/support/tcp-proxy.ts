// Test helper: a TCP proxy on 127.0.0.1 in front of a real server that can be made to hang (a database that stops
// answering without closing anything: a stalled network or a stopped process) and to recover.
import { connect, createServer, type Socket } from 'node:net';
import { listenLocal } from './hung-listener.js';

export interface TcpProxy {
  readonly port: number;
  /** From now on nothing is passed either way and new connections are accepted but never forwarded. */
  hang(): void;
  /** Connections made from now on are forwarded again (the hung ones stay hung until their client gives up). */
  recover(): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to `target`; hang() stalls it. */
export async function startTcpProxy(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let hung = false;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (hung) return; // accepted, never answered
    const upstream = connect(target.port, target.host);
    track(upstream);
    const pass = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (!hung) to.write(chunk);
      });
      from.on('close', () => {
        if (!hung) to.destroy();
      });
    };
    pass(client, upstream);
    pass(upstream, client);
  });
  return {
    port: await listenLocal(server, 'tcp proxy'),
    hang: () => void (hung = true),
    recover: () => void (hung = false),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
