// One client of the embedded database's server: its socket, the bytes it sent, where it is (startup,
// authentication, ready), how many of its batches wait for the session, its prepared statements' names.
import type { Socket } from 'node:net';
import { Inbox } from './wire-messages.js';
import type { ScramExchange } from './scram-sha-256.js';
import { StatementNames } from './wire-statement-names.js';

let connections = 0;

/** Before 'ready' nothing a client sends reaches PGlite. */
export type ConnectionPhase = 'startup' | 'sasl-initial' | 'sasl-final' | 'ready';

export class Connection {
  readonly inbox = new Inbox();
  readonly name: string;
  phase: ConnectionPhase = 'startup';
  /** The user name of its startup packet (for messages; there is one database and one session). */
  user = '';
  /** Its SCRAM exchange, between the first and the last authentication message. */
  scram: ScramExchange | undefined;
  gone = false;
  queued = 0;
  /** Its prepared statements' names in the one session (its own, whatever names it gives). */
  readonly statements: StatementNames;

  constructor(readonly socket: Socket) {
    this.name = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    connections += 1;
    this.statements = new StatementNames(`etl_c${connections}_`);
  }

  send(bytes: Uint8Array): void {
    if (!this.gone && this.socket.writable) this.socket.write(bytes);
  }

  /** Ends the connection (after `last`, typically a FATAL ErrorResponse); its session state is reset by the gate. */
  end(last?: Buffer): void {
    if (this.gone) return;
    if (last && this.socket.writable) this.socket.write(last);
    this.gone = true;
    this.socket.end();
    this.socket.once('finish', () => this.socket.destroy());
    setTimeout(() => this.socket.destroy(), 2_000).unref();
  }
}
