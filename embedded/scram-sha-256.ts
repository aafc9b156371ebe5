// SCRAM-SHA-256 (RFC 5802, RFC 7677), the server's side as PostgreSQL does it: the password never crosses the wire.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
/** PostgreSQL's default (scram_iterations). */
const ITERATIONS = 4096;

/** What the server keeps of a password: enough to check a client's proof, not to make one. */
export interface ScramVerifier {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** A client's exchange after its first message: what the last one is checked against. */
export interface ScramExchange {
  readonly nonce: string;
  readonly gs2Header: string;
  readonly clientFirstBare: string;
  readonly serverFirst: string;
}

/** A SCRAM message that does not follow the protocol (not a wrong password). */
export class ScramProtocolError extends Error {
  override readonly name = 'ScramProtocolError';
}

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** SASLprep's mappings (RFC 4013), as libpq and pg apply them to the password before hashing it. */
function saslprep(password: string): string {
  const nonAsciiSpace = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
  const mappedToNothing = /[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;
  return password.replace(nonAsciiSpace, ' ').replace(mappedToNothing, '').normalize('NFKC');
}

/** The verifier of `password`, computed once (PBKDF2) when serving begins. */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): ScramVerifier {
  const salted = pbkdf2Sync(saslprep(password), salt, iterations, 32, 'sha256');
  return { salt, iterations, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

/** `key=value` attributes of a SCRAM message, in order. */
function attributes(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of text.split(',')) {
    if (!/^[a-zA-Z]=/.test(part)) throw new ScramProtocolError(`malformed SCRAM message (attribute ${JSON.stringify(part.slice(0, 2))})`);
    found.set(part[0]!, part.slice(2));
  }
  return found;
}

/** Answers the client-first-message: the server-first-message, and the exchange to check the final one with. */
export function scramServerFirst(clientFirst: string, verifier: ScramVerifier): ScramExchange {
  const match = /^([ny]),(?:a=[^,]*)?,(.*)$/.exec(clientFirst);
  if (match === null) throw new ScramProtocolError('malformed SCRAM message (channel binding: only "n" and "y" are supported)');
  const clientFirstBare = match[2] ?? '';
  const clientNonce = attributes(clientFirstBare).get('r');
  if (clientNonce === undefined || clientNonce === '' || /[^\x21-\x2b\x2d-\x7e]/.test(clientNonce)) throw new ScramProtocolError('malformed SCRAM message (nonce)');
  if (attributes(clientFirstBare).has('m')) throw new ScramProtocolError('SCRAM extensions are not supported');
  const nonce = clientNonce + randomBytes(18).toString('base64');
  const serverFirst = `r=${nonce},s=${verifier.salt.toString('base64')},i=${verifier.iterations}`;
  return { nonce, gs2Header: clientFirst.slice(0, clientFirst.length - clientFirstBare.length), clientFirstBare, serverFirst };
}

/**
 * Checks the client-final-message: the server-final-message (`v=` the server's signature) when the client's
 * proof shows it knows the password, undefined when it does not.
 */
export function scramServerFinal(exchange: ScramExchange, clientFinal: string, verifier: ScramVerifier): string | undefined {
  const at = clientFinal.lastIndexOf(',p=');
  if (at < 0) throw new ScramProtocolError('malformed SCRAM message (no proof)');
  const withoutProof = clientFinal.slice(0, at);
  const found = attributes(withoutProof);
  if (found.get('c') !== Buffer.from(exchange.gs2Header).toString('base64')) throw new ScramProtocolError('SCRAM channel binding check failed');
  if (found.get('r') !== exchange.nonce) throw new ScramProtocolError('SCRAM nonce does not match');
  const proof = Buffer.from(clientFinal.slice(at + 3), 'base64');
  if (proof.length !== 32) throw new ScramProtocolError('malformed SCRAM message (proof)');
  const authMessage = `${exchange.clientFirstBare},${exchange.serverFirst},${withoutProof}`;
  const signature = hmac(verifier.storedKey, authMessage);
  const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
  if (!timingSafeEqual(sha256(clientKey), verifier.storedKey)) return undefined;
  return `v=${hmac(verifier.serverKey, authMessage).toString('base64')}`;
}
