// A client's startup and authentication on the embedded database's server: the startup packet (no TLS, no
// cancel), then SCRAM-SHA-256 against the share's password; only then is it greeted and may it send queries.
import type { Connection } from './wire-connection.js';
import { SCRAM_SHA_256, scramServerFinal, scramServerFirst, ScramProtocolError, type ScramVerifier } from './scram-sha-256.js';
import {
  authentication,
  CANCEL_REQUEST,
  cstring,
  errorResponse,
  GSSENC_REQUEST,
  MAX_STARTUP_LENGTH,
  PASSWORD_MESSAGE,
  PROTOCOL_3_0,
  SSL_REQUEST,
  startupParameters,
  TERMINATE,
} from './wire-messages.js';

/** What authenticating a client needs: the password's verifier, and the greeting an authenticated client gets. */
export interface Gatekeeper {
  readonly verifier: ScramVerifier;
  /** PGlite's reply to the one startup made when serving began (AuthenticationOk, parameters, ReadyForQuery). */
  readonly greeting: Buffer;
  /** The only user name accepted, if one is set (else any). */
  readonly user?: string | undefined;
}

/** What became of the connection: read on, wait for more bytes, or ended. */
type Step = 'more' | 'wait' | 'ended';

const fatal = (conn: Connection, code: string, text: string): Step => {
  conn.end(errorResponse('FATAL', code, text));
  return 'ended';
};

/** The startup packet, or an SSL/GSS/cancel request before it. */
function startup(conn: Connection): Step {
  const { inbox } = conn;
  if (inbox.length < 8) return 'wait';
  const length = inbox.int32(0);
  const code = inbox.int32(4);
  if (length < 8 || length > MAX_STARTUP_LENGTH) return fatal(conn, '08P01', `invalid startup packet length ${length}`);
  if (inbox.length < length) return 'wait';
  const packet = inbox.take(length);
  if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
    conn.send(Buffer.from('N')); // no encryption: a local connection
    return 'more';
  }
  if (code === CANCEL_REQUEST) {
    conn.end(); // a running statement cannot be interrupted in PGlite
    return 'ended';
  }
  if (code !== PROTOCOL_3_0) return fatal(conn, '0A000', `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: this server speaks 3.0`);
  const parameters = startupParameters(packet);
  if (parameters === undefined) return fatal(conn, '08P01', 'invalid startup packet layout: expected name/value pairs with a user');
  conn.user = parameters.get('user') ?? '';
  conn.phase = 'sasl-initial';
  conn.send(authentication(10, Buffer.concat([cstring(SCRAM_SHA_256), Buffer.from([0])])));
  return 'more';
}

/** SASLInitialResponse: the mechanism, then the client-first-message. */
function saslInitial(conn: Connection, body: Buffer, keeper: Gatekeeper): Step {
  const end = body.indexOf(0);
  if (end < 0 || body.length < end + 5) throw new ScramProtocolError('malformed SASLInitialResponse');
  if (body.toString('utf8', 0, end) !== SCRAM_SHA_256) return fatal(conn, '28000', 'client selected an invalid SASL authentication mechanism');
  const length = body.readInt32BE(end + 1);
  if (length < 0 || end + 5 + length !== body.length) throw new ScramProtocolError('malformed SASLInitialResponse');
  conn.scram = scramServerFirst(body.toString('utf8', end + 5), keeper.verifier);
  conn.phase = 'sasl-final';
  conn.send(authentication(11, Buffer.from(conn.scram.serverFirst)));
  return 'more';
}

/** SASLResponse: the client-final-message; the right proof gets the server's signature and the greeting. */
function saslFinal(conn: Connection, body: Buffer, keeper: Gatekeeper): Step {
  const serverFinal = scramServerFinal(conn.scram!, body.toString('utf8'), keeper.verifier);
  conn.scram = undefined;
  // A wrong user gets the same answer as a wrong password, as PostgreSQL gives: no hint which of the two it was.
  if (serverFinal === undefined || (keeper.user !== undefined && conn.user !== keeper.user)) return fatal(conn, '28P01', `password authentication failed for user ${JSON.stringify(conn.user)}`);
  conn.phase = 'ready';
  conn.send(Buffer.concat([authentication(12, Buffer.from(serverFinal)), keeper.greeting]));
  return 'more';
}

/** One authentication message ('p'), once it is all there. */
function authenticationMessage(conn: Connection, keeper: Gatekeeper): Step {
  const { inbox } = conn;
  if (inbox.length < 5) return 'wait';
  const type = inbox.byte(0);
  const length = inbox.int32(1);
  if (type === TERMINATE) {
    conn.end();
    return 'ended';
  }
  if (type !== PASSWORD_MESSAGE) return fatal(conn, '08P01', `expected a SASL response, got message type ${JSON.stringify(String.fromCharCode(type))}`);
  if (length < 4 || length > MAX_STARTUP_LENGTH) return fatal(conn, '08P01', `invalid message length ${length}`);
  if (inbox.length < 1 + length) return 'wait';
  const body = inbox.take(1 + length).subarray(5);
  try {
    return conn.phase === 'sasl-initial' ? saslInitial(conn, body, keeper) : saslFinal(conn, body, keeper);
  } catch (error) {
    if (error instanceof ScramProtocolError) return fatal(conn, '08P01', error.message);
    throw error;
  }
}

/**
 * Takes what a client sent before it is authenticated from its inbox: true once it is (what follows in the
 * inbox is for PGlite), false while it is not (waiting for more, or ended).
 */
export function authenticate(conn: Connection, keeper: Gatekeeper): boolean {
  for (;;) {
    if (conn.phase === 'ready') return true;
    const step = conn.phase === 'startup' ? startup(conn) : authenticationMessage(conn, keeper);
    if (step !== 'more') return false;
  }
}
