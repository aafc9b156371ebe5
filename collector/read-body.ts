// A request body as text within a byte limit. With Content-Length (browsers, sendBeacon, most clients) the limit
// is checked first and the body read through the node adapter's fast path; a chunked body is counted as it streams.

export type BodyText = { readonly ok: true; readonly text: string } | { readonly ok: false };

/** The request as this module reads it (Hono's c.req.raw: a Request, or @hono/node-server's lightweight one). */
export interface BodySource {
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

export async function readBody(request: BodySource, maxBytes: number): Promise<BodyText> {
  const length = request.headers.get('content-length');
  if (length !== null && request.headers.get('transfer-encoding') === null) {
    // Node checks that the body has exactly Content-Length bytes.
    return Number(length) > maxBytes ? { ok: false } : { ok: true, text: await request.text() };
  }
  const body = request.body;
  if (body === null) return { ok: true, text: '' };
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
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}
