// A request body's Content-Encoding (identity, gzip or deflate), inflated as a stream that stops at the size limit,
// so a small body that would inflate to gigabytes is refused once it passes the limit, never inflated whole.
import { gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';

export type BodyEncoding = 'identity' | 'gzip' | 'deflate';

export type Inflated =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly problem: 'tooLarge' | 'corrupt' };

type Inflater = (buffer: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void;

/** The encoding a Content-Encoding header names, or undefined when it is one the collector does not read. */
export function bodyEncoding(header: string | undefined): BodyEncoding | undefined {
  const value = header?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  return undefined;
}

const isTooLarge = (error: Error): boolean => (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';

function run(inflater: Inflater, body: Uint8Array, maxBytes: number): Promise<Inflated> {
  return new Promise((resolve) => {
    // maxOutputLength: zlib stops (and errs) as soon as the output passes it.
    inflater(body, { maxOutputLength: Math.max(1, maxBytes) }, (error, result) => {
      if (error === null) resolve({ ok: true, bytes: result });
      else resolve({ ok: false, problem: isTooLarge(error) ? 'tooLarge' : 'corrupt' });
    });
  });
}

/** The body inflated, unless it is not valid data of its encoding or inflates past maxBytes. */
export async function inflateBody(body: Uint8Array, encoding: Exclude<BodyEncoding, 'identity'>, maxBytes: number): Promise<Inflated> {
  if (encoding === 'gzip') return run(gunzip, body, maxBytes);
  // HTTP's deflate is zlib-wrapped; some clients send raw deflate.
  const wrapped = await run(inflate, body, maxBytes);
  return wrapped.ok || wrapped.problem === 'tooLarge' ? wrapped : run(inflateRaw, body, maxBytes);
}
