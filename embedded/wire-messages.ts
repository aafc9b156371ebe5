// PostgreSQL wire-protocol framing for the embedded database's server: message codes, building messages, and
// reading them from a byte stream (a client's requests in an Inbox, PGlite's replies through a ReplyTracker).

export const PROTOCOL_3_0 = 196_608;
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;
export const MAX_STARTUP_LENGTH = 10_000;
export const MAX_MESSAGE_LENGTH = 128 * 1024 * 1024;
/** Frontend messages passed on to PGlite: Query, Parse, Bind, Describe, Execute, Sync, Close, Flush. */
export const ALLOWED = new Set([...'QPBDESCH'].map((c) => c.charCodeAt(0)));
export const TERMINATE = 'X'.charCodeAt(0);
/** SASLInitialResponse and SASLResponse (the frontend's side of SCRAM). */
export const PASSWORD_MESSAGE = 'p'.charCodeAt(0);
const READY_FOR_QUERY = 'Z'.charCodeAt(0);

/** One message: its type byte, its length (itself included), its body. */
export function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export const cstring = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf8');

export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  const fields = [`S${severity}`, `V${severity}`, `C${code}`, `M${text}`].map(cstring);
  return message('E', Buffer.concat([...fields, Buffer.from([0])]));
}

/** An Authentication message ('R') of `kind` (0 ok, 10 SASL, 11 SASL continue, 12 SASL final) with `data`. */
export function authentication(kind: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(4);
  head.writeInt32BE(kind, 0);
  return message('R', Buffer.concat([head, data]));
}

/** A startup packet: protocol 3.0 with these name/value pairs. */
export function startupPacket(parameters: Readonly<Record<string, string>>): Buffer {
  const body = Buffer.concat([...Object.entries(parameters).flatMap(([name, value]) => [cstring(name), cstring(value)]), Buffer.from([0])]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(body.length + 8, 0);
  head.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([head, body]);
}

/** The name/value pairs of a well-formed startup packet with a user, else undefined (PGlite exits for good on one). */
export function startupParameters(packet: Buffer): Map<string, string> | undefined {
  const fields = packet.toString('utf8', 8, packet.length - 1).split('\0');
  if (packet[packet.length - 1] !== 0 || fields.pop() !== '' || fields.length % 2 !== 0) return undefined;
  const parameters = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) parameters.set(fields[i]!, fields[i + 1]!);
  return parameters.has('user') ? parameters : undefined;
}

/** Follows the backend's replies, message by message: is the last one a ReadyForQuery, with which status? */
export class ReplyTracker {
  #header: number[] = [];
  #left = 0;
  #type = 0;
  #first = -1;
  #ready: string | undefined;

  feed(data: Uint8Array): void {
    for (let i = 0; i < data.length; ) {
      if (this.#left > 0) {
        if (this.#first < 0) this.#first = data[i]!;
        const n = Math.min(this.#left, data.length - i);
        i += n;
        this.#left -= n;
        if (this.#left === 0) this.#complete();
        continue;
      }
      this.#header.push(data[i++]!);
      if (this.#header.length === 5) {
        const [type = 0, a = 0, b = 0, c = 0, d = 0] = this.#header;
        this.#type = type;
        this.#left = Math.max(0, ((a << 24) | (b << 16) | (c << 8) | d) - 4);
        this.#header = [];
        this.#first = -1;
        this.#ready = undefined;
        if (this.#left === 0) this.#complete();
      }
    }
  }

  #complete(): void {
    this.#ready = this.#type === READY_FOR_QUERY && this.#first >= 0 ? String.fromCharCode(this.#first) : undefined;
  }

  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction; undefined: the cycle is not over. */
  get status(): string | undefined {
    return this.#header.length === 0 && this.#left === 0 ? this.#ready : undefined;
  }
}

/** Bytes received from a client, kept as chunks until a whole message is there. */
export class Inbox {
  #chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  #head(n: number): Buffer {
    if (this.#chunks[0]!.length < n) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0]!;
  }

  int32(at: number): number {
    return this.#head(at + 4).readInt32BE(at);
  }

  byte(at: number): number {
    return this.#head(at + 1)[at]!;
  }

  take(n: number): Buffer {
    const head = this.#head(n);
    const taken = head.subarray(0, n);
    if (head.length === n) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(n);
    this.length -= n;
    return taken;
  }
}
