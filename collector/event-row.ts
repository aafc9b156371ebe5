// The row the collector stores per event: the raw events table's columns (writers/migrations.ts, versions 4, 6 and 8).
import type { MessageType } from './payload.js';

export interface EventRow {
  readonly message_id: string;
  /** The event's instant (ISO), corrected for the client's clock; the events reader's time column. */
  readonly created_at: string;
  readonly event: string;
  readonly user_id: string | null;
  readonly anonymous_id: string | null;
  readonly duration_ms: number | null;
  /** The properties as JSON text (an object), as PostgreSQL's jsonb input reads it. */
  readonly properties: string;
  /** The name of the write key that sent it (never the key). */
  readonly write_key: string;
  readonly received_at: string;
  /** The message's type (column `type`, version 6); the collector's own event shape (the tracker's) is a `track`. */
  readonly type: MessageType;
  /** A Segment message's context as JSON text (the envelope's merged under its own; version 8); null or absent: none. */
  readonly context?: string | null;
  /** A Segment message's integrations as JSON text (the envelope's merged under its own; version 8); null or absent: none. */
  readonly integrations?: string | null;
  /** An alias's previousId (not a column: also in properties), linked to user_id in the identities table. */
  readonly previous_id?: string | null;
}
