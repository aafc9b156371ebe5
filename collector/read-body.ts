// A request body as bytes within a byte limit (on the wire: a compressed body is inflated later). With Content-Length
// (browsers, sendBeacon, most clients) the limit is checked first; a chunked body is counted as it streams.

export type BodyBytes = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false };

/** The request as this module reads it (Hono's c.req.raw: a Request, or @hono/node-server's lightweight one). */
export interface BodySource {
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export async function readBody(request: BodySource, maxBytes: number): Promise<BodyBytes> {
  const length = request.headers.get('content-length');
  if (length !== null && request.headers.get('transfer-encoding') === null) {
    // Node checks that the body has exactly Content-Length bytes.
    return Number(length) > maxBytes ? { ok: false } : { ok: true, bytes: new Uint8Array(await request.arrayBuffer()) };
  }
  const body = request.body;
  if (body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
