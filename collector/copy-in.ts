// COPY ... FROM STDIN as one pg "submittable" written in a single socket write (the statement, the rows, the end
// of the data): one round trip and one wake-up of the server per flush, where a COPY stream takes two round trips
// and four writes. PostgreSQL reads the copy messages once the COPY has started; if the statement fails before,
// it ignores them (the protocol's "accept but ignore" for CopyData/CopyDone outside copy mode).

/** The part of pg's Connection used: its socket. */
interface PgConnection {
  readonly stream: { write(chunk: Buffer): boolean };
}

/** The three messages: Query (the COPY statement), CopyData (all the rows: text, or bytes of the binary format), CopyDone. */
export function copyInMessages(sql: string, rows: string | Uint8Array): Buffer {
  const sqlBytes = Buffer.byteLength(sql, 'utf8');
  const rowBytes = typeof rows === 'string' ? Buffer.byteLength(rows, 'utf8') : rows.byteLength;
  const out = Buffer.allocUnsafe(1 + 4 + sqlBytes + 1 + 1 + 4 + rowBytes + 1 + 4);
  let at = 0;
  out[at++] = 0x51; // 'Q'
  at = out.writeInt32BE(4 + sqlBytes + 1, at);
  at += out.write(sql, at, 'utf8');
  out[at++] = 0;
  out[at++] = 0x64; // 'd'
  at = out.writeInt32BE(4 + rowBytes, at);
  if (typeof rows === 'string') at += out.write(rows, at, 'utf8');
  else {
    out.set(rows, at);
    at += rows.byteLength;
  }
  out[at++] = 0x63; // 'c'
  out.writeInt32BE(4, at);
  return out;
}

/**
 * `client.query(new CopyIn(sql, rows))` writes the rows; `done` settles once the COPY is committed (ReadyForQuery)
 * or refused (the server's error, with its SQLSTATE in `code`). `callback` is what pg wraps with its query_timeout.
 */
export class CopyIn {
  readonly done: Promise<number>;
  /** Rows the server reports copied. */
  rowCount = 0;
  callback: (error: Error | null) => void;
  readonly #message: Buffer;

  constructor(sql: string, rows: string | Uint8Array) {
    this.#message = copyInMessages(sql, rows);
    let settle!: (error: Error | null) => void;
    this.done = new Promise<number>((resolve, reject) => {
      settle = (error) => (error === null ? resolve(this.rowCount) : reject(error));
    });
    this.callback = settle;
  }

  submit(connection: PgConnection): void {
    connection.stream.write(this.#message);
  }

  handleCopyInResponse(): void {} // the data is on its way already

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? '');
    if (match !== null) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {
    this.callback(null);
  }

  /** After an error pg does not call handleReadyForQuery: this settles the COPY (rolled back). */
  handleError(error: Error): void {
    this.callback(error);
  }
}
