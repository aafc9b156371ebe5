// Serves one PGlite instance to PostgreSQL clients over TCP, one client's protocol cycle or transaction at a time.
//
// PGlite is a single PostgreSQL session: every client and the process holding it share it (one transaction
// state, one unnamed statement, the same SETs). So a client's cycle (its messages up to the ReadyForQuery
// that ends it, and a whole BEGIN ... COMMIT) runs while this server holds PGlite's transaction mutex, the
// one its own query/exec/transaction take: the holder's code never runs inside a client's transaction and
// no client runs inside the holder's; other clients wait their turn (wire-session-gate.ts). A client must
// first prove it knows the password, by SCRAM-SHA-256 (wire-startup.ts): one password, any user name unless
// one is set. Each client's prepared statements get names of their own (wire-statement-names.ts).
// Messages that stall PGlite for good (COPY FROM STDIN or a file, an unknown message type, a malformed
// startup packet) are refused before they reach it. Every authenticated client is greeted with the reply to
// one startup (user and database postgres) made when serving begins: there is one session, and connecting
// never waits for the holder.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { scramVerifier } from './scram-sha-256.js';
import { screen } from './wire-copy-screen.js';
import { Connection } from './wire-connection.js';
import { ALLOWED, errorResponse, MAX_MESSAGE_LENGTH, startupPacket, TERMINATE } from './wire-messages.js';
import { holdTransactionMutex, SessionGate, type PgliteSession } from './wire-session-gate.js';
import { authenticate, type Gatekeeper } from './wire-startup.js';

export { isRefusedCopy } from './wire-copy-screen.js';
export type { PgliteSession } from './wire-session-gate.js';

export interface WireServerOptions {
  /** The password clients must prove they know (SCRAM-SHA-256), whatever user name they give. Never logged. */
  readonly password: string;
  /** The only user name clients may give (default: any). */
  readonly user?: string | undefined;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** Port (default 0: any free port; read it back from the server). */
  readonly port?: number;
  /** Connections at once (default 16); one more is refused with SQLSTATE 53300. */
  readonly maxConnections?: number;
  /**
   * How long one client may keep the database to itself, ms (default 30 s): an open transaction or an
   * unfinished cycle; then it is disconnected and rolled back, and the others (the holder too) go on.
   */
  readonly holdTimeoutMs?: number;
  /** How long a client may take to authenticate, ms (default 10 s): until then it holds a connection slot. */
  readonly authenticationTimeoutMs?: number;
  /** Told what happened to a client that had to be stopped. */
  readonly onNotice?: (message: string) => void;
}

export interface WireServer {
  readonly host: string;
  readonly port: number;
  /** Clients connected now. */
  readonly connections: number;
  /** Disconnects every client (rolling back an open transaction), stops listening. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_CONNECTIONS = 16;
export const DEFAULT_HOLD_TIMEOUT_MS = 30_000;
export const DEFAULT_AUTHENTICATION_TIMEOUT_MS = 10_000;

/** The startup PGlite is given, once: one database, one session, whatever user and database a client asks for. */
const STARTUP = startupPacket({ user: 'postgres', database: 'postgres' });

/** What every connection of one server shares. */
interface Serving {
  readonly gate: SessionGate;
  readonly keeper: Gatekeeper;
  readonly connections: Set<Connection>;
  readonly maxConnections: number;
  readonly authenticationTimeoutMs: number;
  closing: boolean;
}

const fatal = (conn: Connection, code: string, text: string): void => conn.end(errorResponse('FATAL', code, text));

/** Starts the session once, as a client would; PGlite's reply (AuthenticationOk, parameters, ReadyForQuery) greets every client. */
async function greet(pglite: PgliteSession): Promise<Buffer> {
  const release = await holdTransactionMutex(pglite);
  try {
    return Buffer.from(await pglite.runExclusive(() => pglite.execProtocolRaw(STARTUP)));
  } finally {
    release();
  }
}

/** The whole messages in an authenticated client's inbox, screened; undefined when the client was ended. */
function takeFrames(conn: Connection): Buffer[] | undefined {
  const { inbox } = conn;
  const frames: Buffer[] = [];
  while (inbox.length >= 5) {
    const type = inbox.byte(0);
    const length = inbox.int32(1);
    if (length < 4 || length > MAX_MESSAGE_LENGTH) return void fatal(conn, '08P01', `invalid message length ${length}`);
    if (inbox.length < 1 + length) break;
    const frame = inbox.take(1 + length);
    if (type === TERMINATE) return void conn.end();
    if (!ALLOWED.has(type)) return void fatal(conn, '08P01', `frontend message type ${JSON.stringify(String.fromCharCode(type))} is not supported by the shared embedded database`);
    frames.push(conn.statements.rewrite(screen(frame)));
  }
  return frames;
}

function receive(conn: Connection, chunk: Buffer, serving: Serving): void {
  if (conn.gone) return;
  conn.inbox.push(chunk);
  if (!authenticate(conn, serving.keeper)) return;
  const frames = takeFrames(conn);
  if (frames === undefined) return;
  if (frames.length > 0) serving.gate.submit({ conn, bytes: Buffer.concat(frames) });
  if (conn.queued > 0) conn.socket.pause(); // one batch at a time per client: it waits for its answer anyway
}

function accept(socket: Socket, serving: Serving): void {
  socket.on('error', () => undefined); // a client that resets the connection ends in 'close'
  if (serving.closing) {
    socket.destroy();
    return;
  }
  const conn = new Connection(socket);
  if (serving.connections.size >= serving.maxConnections) {
    fatal(conn, '53300', `sorry, too many clients already (${serving.maxConnections}, the shared embedded database's limit)`);
    return;
  }
  serving.connections.add(conn);
  const timer = setTimeout(() => {
    if (conn.phase !== 'ready') fatal(conn, '08P01', 'canceling authentication due to timeout');
  }, serving.authenticationTimeoutMs);
  timer.unref();
  socket.on('data', (chunk: Buffer) => receive(conn, chunk, serving));
  socket.on('close', () => {
    clearTimeout(timer);
    serving.connections.delete(conn);
    conn.gone = true;
    serving.gate.forget(conn);
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Serves `pglite` on `host:port` until close(). */
export async function servePglite(pglite: PgliteSession, options: WireServerOptions): Promise<WireServer> {
  const notice = options.onNotice ?? (() => undefined);
  const verifier = scramVerifier(options.password);
  await pglite.waitReady;
  const serving: Serving = {
    gate: new SessionGate(pglite, options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS, notice),
    keeper: { verifier, greeting: await greet(pglite), user: options.user },
    connections: new Set<Connection>(),
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    authenticationTimeoutMs: options.authenticationTimeoutMs ?? DEFAULT_AUTHENTICATION_TIMEOUT_MS,
    closing: false,
  };
  const server = createServer({ noDelay: true }, (socket) => accept(socket, serving));
  server.on('error', (error) => notice(`the shared embedded database's server failed: ${error.message}`));
  await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    get connections() {
      return serving.connections.size;
    },
    close() {
      closed ??= (async () => {
        serving.closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const conn of serving.connections) fatal(conn, '57P01', 'terminating connection: the process that holds the embedded database is closing it');
        serving.gate.wake();
        await serving.gate.idle();
        await stopped;
        await serving.gate.idle(); // the statements of the clients just ended are closed
      })();
      return closed;
    },
  };
}
