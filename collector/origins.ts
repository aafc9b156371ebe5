// CORS for the collector's /v1 endpoints: an allowlist of origins, preflight answered, others refused with 403.
import type { MiddlewareHandler } from 'hono';

const ALLOW_METHODS = 'POST, OPTIONS';
// X-Retry-Count: analytics-next sends it on a retry; without it the retry's preflight fails and the event is never delivered.
const ALLOW_HEADERS = 'Content-Type, Content-Encoding, Authorization, X-Write-Key, X-Retry-Count';
const PREFLIGHT_MAX_AGE = '86400';

/** Whether `origin` may send events: listed, '*' listed, or the collector's own origin (its page at GET /). */
export function originAllowed(origin: string, allowed: readonly string[], host: string | undefined): boolean {
  const normal = origin.toLowerCase();
  if (allowed.includes('*') || allowed.includes(normal)) return true;
  return host !== undefined && (normal === `http://${host.toLowerCase()}` || normal === `https://${host.toLowerCase()}`);
}

/** The headers of an answer to an allowed origin. */
export function corsHeaders(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After', Vary: 'Origin' };
}

/** The 403 answer's body for another origin. */
export const notAllowedBody = (origin: string): { error: string } => ({ error: `origin ${JSON.stringify(origin)} is not allowed to send events (collector.allowedOrigins)` });

/**
 * A request without Origin (a server, curl) goes on: the write key guards it. A browser's request from an
 * allowed origin gets the CORS headers (on errors too, so the page sees a 503 and its Retry-After); a
 * preflight is answered 204. Any other origin gets 403 and no CORS header, so its page can read nothing.
 */
export function corsGuard(allowed: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    if (!originAllowed(origin, allowed, c.req.header('host'))) {
      return c.json(notAllowedBody(origin), 403);
    }
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
        Vary: 'Origin',
      });
    }
    await next();
    for (const [name, value] of Object.entries(corsHeaders(origin))) {
      if (name === 'Vary') c.res.headers.append(name, value); // other parts of the answer may vary too
      else c.res.headers.set(name, value);
    }
  };
}
