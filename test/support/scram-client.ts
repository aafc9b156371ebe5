// Test support: the client's side of SCRAM-SHA-256, for wire-protocol clients written by hand (pg and psql have their own).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

function frame(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export interface ScramClient {
  /** The SASLInitialResponse: mechanism SCRAM-SHA-256, the client-first-message. */
  initial(): Buffer;
  /** The SASLResponse answering the server-first-message (AuthenticationSASLContinue's data). */
  final(serverFirst: string): Buffer;
}

export function scramClient(password: string, mechanism = 'SCRAM-SHA-256'): ScramClient {
  const bare = `n=*,r=${randomBytes(18).toString('base64')}`;
  return {
    initial() {
      const data = Buffer.from(`n,,${bare}`);
      const length = Buffer.alloc(4);
      length.writeInt32BE(data.length);
      return frame('p', Buffer.concat([Buffer.from(`${mechanism}\0`), length, data]));
    },
    final(serverFirst) {
      const fields = new Map(serverFirst.split(',').map((part) => [part[0]!, part.slice(2)] as const));
      const salted = pbkdf2Sync(password, Buffer.from(fields.get('s')!, 'base64'), Number(fields.get('i')), 32, 'sha256');
      const clientKey = hmac(salted, 'Client Key');
      const withoutProof = `c=biws,r=${fields.get('r')!}`;
      const signature = hmac(createHash('sha256').update(clientKey).digest(), `${bare},${serverFirst},${withoutProof}`);
      const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!)).toString('base64');
      return frame('p', Buffer.from(`${withoutProof},p=${proof}`));
    },
  };
}
