// Each client's own prepared-statement names on the shared embedded database: its clients share one
// PostgreSQL session, so two of them (or one that reconnects) preparing "stmtcache_ab12" or "panel-1" would
// collide (42P05 "prepared statement already exists"), and one's Close would drop another's. The names in a
// client's Parse, Bind, Describe and Close are mapped to names of its own; what it leaves is closed when it goes.
import { cstring, message } from './wire-messages.js';

const PARSE = 'P'.charCodeAt(0);
const BIND = 'B'.charCodeAt(0);
const DESCRIBE = 'D'.charCodeAt(0);
const CLOSE = 'C'.charCodeAt(0);
const STATEMENT = 'S'.charCodeAt(0);
const SYNC = message('S', Buffer.alloc(0));

/** A NUL-terminated name starting at `at` in `frame`: its text and where it ends (the NUL), or undefined. */
function nameAt(frame: Buffer, at: number): { text: string; end: number } | undefined {
  const end = frame.indexOf(0, at);
  return end < 0 ? undefined : { text: frame.toString('utf8', at, end), end };
}

export class StatementNames {
  readonly #names = new Map<string, string>();
  #next = 0;

  /** `prefix`: unique to the connection among those of the server (e.g. `etl_c12_`). */
  constructor(private readonly prefix: string) {}

  /** The session's name of the client's statement `name`; the unnamed statement stays unnamed. */
  sessionName(name: string): string {
    if (name === '') return '';
    let mapped = this.#names.get(name);
    if (mapped === undefined) {
      mapped = `${this.prefix}${(this.#next += 1)}`; // short: PostgreSQL compares 63 bytes of a name
      this.#names.set(name, mapped);
    }
    return mapped;
  }

  /** `frame` (one whole frontend message) with the statement name it holds, if any, mapped. */
  rewrite(frame: Buffer): Buffer {
    const type = frame[0];
    if (type === PARSE) return this.#replace(frame, 5);
    if (type === BIND) {
      const portal = nameAt(frame, 5);
      return portal === undefined ? frame : this.#replace(frame, portal.end + 1);
    }
    if ((type === DESCRIBE || type === CLOSE) && frame[5] === STATEMENT) {
      const name = nameAt(frame, 6);
      const rewritten = this.#replace(frame, 6);
      if (type === CLOSE && name !== undefined) this.#names.delete(name.text); // closed: a later Parse may reuse the name
      return rewritten;
    }
    return frame;
  }

  /** Close messages for every statement the client has prepared and not closed, then Sync; undefined when none. */
  closeAll(): Buffer | undefined {
    if (this.#names.size === 0) return undefined;
    const closes = [...this.#names.values()].map((name) => message('C', Buffer.concat([Buffer.from('S'), cstring(name)])));
    this.#names.clear();
    return Buffer.concat([...closes, SYNC]);
  }

  #replace(frame: Buffer, at: number): Buffer {
    const name = nameAt(frame, at);
    if (name === undefined || name.text === '') return frame; // malformed (PGlite answers it) or unnamed
    const body = Buffer.concat([frame.subarray(5, at), cstring(this.sessionName(name.text)), frame.subarray(name.end + 1)]);
    return message(String.fromCharCode(frame[0]!), body);
  }
}
