// Runs a reader's SQL on its source-database service; any failure becomes a ReaderError naming the reader.
import { maskText } from '../secrets/mask.js';
import { formatDuration } from '../graph/duration.js';
import type { NodeContext } from '../graph/node.js';
import { ReaderError } from './reader-errors.js';
import { describeSqlTarget, sqlSecrets, type SqlClient } from './sql-client.js';

/** Error codes meaning "could not reach or log into the database" (node network errors, SQLSTATE classes 08, 28, 3D, 57P03). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', '3D000', '57P03']);

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return /connection terminated|timeout exceeded when trying to connect/i.test(String((error as Error | null)?.message ?? ''));
  return CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('28');
}

/** The text of a cause, even for node's AggregateError (empty message, one error per address tried). */
function causeText(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    const inner = error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).filter((m) => m !== '');
    if (inner.length > 0) return [...new Set(inner)].join('; ');
  }
  if (error instanceof Error) return error.message !== '' ? error.message : String((error as { code?: unknown }).code ?? error.name);
  return String(error);
}

/** pg's client-side timeouts (no code) and PostgreSQL's statement timeout (57014), with the time waited. */
function timeoutText(service: string, client: unknown, error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  const options = ((client as { options?: Record<string, unknown> } | null)?.options ?? {}) as Record<string, unknown>;
  const ms = (key: string): string => (typeof options[key] === 'number' ? ` within ${formatDuration(options[key])}` : '');
  if (/connection timeout|timeout exceeded when trying to connect/i.test(message)) {
    return `cannot connect to the source database: no answer${ms('connectionTimeoutMillis')} (sources.${service}.connectTimeout)`;
  }
  if (/query read timeout/i.test(message) || (error as { code?: unknown } | null)?.code === '57014') {
    return `query got no answer${ms('statement_timeout')} (sources.${service}.statementTimeout)`;
  }
  return undefined;
}

/** Wraps a failure of `client` (the database behind `service`) into a ReaderError for `reader`. */
export function sqlReaderError(reader: string, service: string, client: unknown, error: unknown): ReaderError {
  const target = describeSqlTarget(client);
  const where = `service '${service}'${target === undefined ? '' : ` at ${target}`}`;
  const timedOut = timeoutText(service, client, error);
  if (timedOut !== undefined) return new ReaderError(reader, maskText(`reader '${reader}': ${timedOut} (${where})`, sqlSecrets(client)));
  const what = isConnectionError(error) ? 'cannot connect to the source database' : 'query failed';
  const message = maskText(`reader '${reader}': ${what} (${where}): ${causeText(error)}`, sqlSecrets(client));
  return new ReaderError(reader, message);
}

/** Runs one statement for `reader` on the SqlClient named `service`; failures throw a ReaderError. */
export async function readerQuery<R>(reader: string, ctx: NodeContext, service: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = ctx.service<SqlClient>(service);
  try {
    const result = await client.query<R>(text, params);
    return result.rows;
  } catch (error) {
    throw sqlReaderError(reader, service, client, error);
  }
}
