// Who may use the UI: with ETL_UI_TOKEN every request carries it (a bearer header, or the cookie the login
// form sets); actions are POST with a header a cross-site form cannot send (X-ETL-UI: 1) and a same-origin
// Origin when the browser sends one.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { html } from 'hono/html';

export const SESSION_COOKIE = 'etl_ui';
export const ACTION_HEADER = 'X-ETL-UI';

/** Equal strings, in a time that does not tell how much of them matched. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The cookie's value: derived from the token, so the token itself never sits in the browser's cookie jar. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('etl-ui session').digest('base64url');
}

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1];
}

export function isAuthenticated(c: Context, token: string): boolean {
  const given = bearer(c);
  if (given !== undefined) return sameSecret(given, token);
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

/** Where the login form sends the browser back to: a path on this site only. */
function localPath(next: string | undefined): string {
  return next !== undefined && /^\/(?![/\\])/.test(next) ? next : '/';
}

function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === new URL(c.req.url).host;
  } catch {
    return false;
  }
}

/** 403 for a POST without X-ETL-UI: 1 (except the login form) or from another origin. */
export function csrfGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const isLogin = c.req.path === '/login' || c.req.path === '/logout';
      if (!sameOrigin(c)) return c.json({ error: 'forbidden: the request comes from another origin' }, 403);
      if (!isLogin && c.req.header(ACTION_HEADER) !== '1') return c.json({ error: `forbidden: actions need the header ${ACTION_HEADER}: 1` }, 403);
    }
    await next();
  };
}

/**
 * With a token: 401 JSON for /api and /assets, a redirect to /login for pages. Without: lets all through.
 * `isPublic`: GET paths anyone may read (a public dashboard's page, its API and the static assets).
 */
export function authGuard(token: string | undefined, isPublic: (path: string) => boolean = () => false): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined || c.req.path === '/login' || isAuthenticated(c, token)) return next();
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && isPublic(c.req.path)) return next();
    if (c.req.path.startsWith('/api/') || c.req.path === '/api' || c.req.path.startsWith('/assets/') || c.req.method !== 'GET') {
      return c.json({ error: 'unauthorized: send the UI token (Authorization: Bearer <ETL_UI_TOKEN>) or log in at /login' }, 401);
    }
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
  };
}

function loginPage(next: string, failed: boolean) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>etl: log in</title><meta name="color-scheme" content="light dark"></head>
<body>
<main>
<h1>etl monitoring: log in</h1>
${failed ? html`<p role="alert">That token is not the right one.</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${next}">
<label>UI token (ETL_UI_TOKEN) <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>`;
}

/** GET /login (the form), POST /login (sets the cookie), POST /logout. Without a token /login goes home. */
export function registerLogin(app: Hono, token: string | undefined): void {
  app.get('/login', (c) => {
    if (token === undefined) return c.redirect('/', 302);
    return c.html(loginPage(localPath(c.req.query('next')), c.req.query('failed') !== undefined));
  });
  app.post('/login', async (c) => {
    if (token === undefined) return c.redirect('/', 302);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const given = typeof form['token'] === 'string' ? form['token'] : '';
    const next = localPath(typeof form['next'] === 'string' ? form['next'] : undefined);
    if (!sameSecret(given, token)) return c.html(loginPage(next, true), 401);
    setCookie(c, SESSION_COOKIE, sessionValue(token), { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect(next, 303);
  });
  app.post('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });
}
