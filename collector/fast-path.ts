// The POST endpoints (/v1/batch, /v1/track, /v1/page... and analytics.js's /v1/b, /v1/t...) answered on plain node:http, in front of the Hono app: the same ingest(), origin
// check and headers, without a Request, a Response and their Headers per request. Anything else (other paths,
// OPTIONS, a chunked body, a URL Hono would have to normalise) is left to Hono.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Ingest, IngestAnswer } from './ingest.js';
import { corsHeaders, notAllowedBody, originAllowed } from './origins.js';
import { ENDPOINT_PATHS } from './payload.js';
import type { BodyBytes } from './read-body.js';

export interface FastPathDeps {
  readonly ingest: Ingest;
  readonly allowedOrigins: readonly string[];
  /** Told of an unexpected error (answered 500). */
  readonly onError?: (error: unknown) => void;
}

/** Takes the request (true) or leaves it to the next listener (false). */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The body (with Content-Length) unless it is over maxBytes, which is answered without reading it. */
function readIncoming(req: IncomingMessage, maxBytes: number): Promise<BodyBytes> {
  if (Number(req.headers['content-length']) > maxBytes) return Promise.resolve({ ok: false });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      ended = true;
      resolve({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
    });
    req.once('error', reject);
    req.once('close', () => ended || reject(new Error('the client closed the connection before sending the whole body')));
  });
}

function send(res: ServerResponse, status: number, body: unknown, extra: OutgoingHttpHeaders): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...extra, 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createFastPath(deps: FastPathDeps): FastPath {
  const { ingest, allowedOrigins } = deps;
  return (req, res) => {
    const endpoint = req.method === 'POST' ? ENDPOINT_PATHS[req.url ?? ''] : undefined;
    if (endpoint === undefined || req.headers['content-length'] === undefined || req.headers['transfer-encoding'] !== undefined) return false;
    const origin = req.headers.origin;
    let cors: OutgoingHttpHeaders = {};
    if (origin !== undefined) {
      if (!originAllowed(origin, allowedOrigins, req.headers.host)) {
        send(res, 403, notAllowedBody(origin), {});
        return true;
      }
      cors = corsHeaders(origin);
    }
    // As Hono's Headers read them: node keeps the first of repeated Content-Type or Authorization headers, Hono joins them.
    const distinct = (name: 'content-type' | 'content-encoding' | 'authorization'): string | undefined => (req.headers[name] === undefined ? undefined : req.headersDistinct[name]!.join(', '));
    ingest(endpoint, {
      contentType: distinct('content-type'),
      contentEncoding: distinct('content-encoding'),
      authorization: distinct('authorization'),
      xWriteKey: req.headers['x-write-key'] as string | undefined,
      readBody: (maxBytes) => readIncoming(req, maxBytes),
    }).then(
      (answer: IngestAnswer) => send(res, answer.status, answer.body, answer.retryAfter === undefined ? cors : { ...cors, 'retry-after': answer.retryAfter }),
      (error: unknown) => {
        deps.onError?.(error);
        if (!res.headersSent && !res.destroyed) send(res, 500, { error: 'internal error' }, cors);
      },
    );
    return true;
  };
}
