// The one masker of the project: hides passwords and tokens in URLs and in any text shown (config check, errors, logs).
// It imports no other project module, so every folder may use it.
import { base64, basicAuthSecrets, encodedForms, hideAuthCredentials } from './http-credentials.js';
import { layoutUrl, mayHoldCredentials, percentDecode, type Span, type UrlLayout, type UrlReading } from './url-layout.js';

export { isSecretName } from './secret-name.js';
export { basicAuthSecrets };

/** What a secret is replaced with, unless a caller asks for another mark. */
export const MASK = '***';

/** Shown instead of a URL that its clients cannot parse and that may hold a password (after `scheme://` when known). */
export const HIDDEN_URL = '(invalid URL, not shown)';

export interface MaskOptions {
  /** Replacement of each secret (default MASK, '***'). */
  readonly mask?: string;
}

/**
 * URLs inside free text: a scheme, `://`, then up to white space, a quote or an angle bracket. The scheme is
 * capped at 32 characters so that a long run of letters (a base64 blob) costs linear time, not quadratic.
 */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>`]*/gi;
const PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '}']);

function trailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && PUNCTUATION.has(text[end - 1]!)) end -= 1;
  return text.slice(end);
}

function hiddenSpans(layout: UrlLayout): Span[] {
  const spans = [...layout.parsed.secrets, ...(layout.cautious?.secrets ?? [])].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last !== undefined && span.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else merged.push(span);
  }
  return merged;
}

function replaceSpans(text: string, spans: readonly Span[], mask: string): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + mask;
    at = span.end;
  }
  return out + text.slice(at);
}

/** A URL its clients reject still hides what it may hold: a password (any `@`) or a secret parameter. */
function mayHoldSecret(text: string, layout: UrlLayout): boolean {
  return layout.parsed.secrets.length > 0 || text.indexOf('@', layout.parsed.prefixEnd) >= 0;
}

/** `url` without surrounding white space, and that white space. */
function trimmed(url: string): { lead: string; core: string; trail: string } {
  const core = url.trim();
  const lead = url.slice(0, url.indexOf(core));
  return { lead, core, trail: url.slice(lead.length + core.length) };
}

/**
 * `url` with its password and the values of its secret-named query and fragment parameters replaced by
 * `options.mask` ('***'), for any scheme; the user name stays visible. The userinfo is read as pg (through
 * pg-connection-string), ioredis and fetch read it (WHATWG URL): it ends at the LAST `@` before the host, so
 * `postgresql://etl:Sec@ret99x@db/site` -> `postgresql://etl:***@db/site`; spaces and `:` may be in the
 * password. When an `@` also follows the host part (`postgres://etl:12#ab@db/site`: clients read host
 * `etl`, port 12), the cautious reading wins and the password runs to that `@`.
 *
 * A URL its clients cannot parse (`postgres://etl:pa/ss@db/site`) is never echoed when it may hold a secret:
 * `postgres://(invalid URL, not shown)`. A string without `scheme://` is returned unchanged unless it reads
 * as `user:password@host`, then HIDDEN_URL. Surrounding white space is kept.
 */
export function maskUrl(url: string, options: MaskOptions = {}): string {
  const { lead, core, trail } = trimmed(url);
  const layout = layoutUrl(core);
  if (layout === undefined) return mayHoldCredentials(core) ? HIDDEN_URL : url;
  if (!layout.valid) return mayHoldSecret(core, layout) ? `${core.slice(0, layout.parsed.prefixEnd)}${HIDDEN_URL}` : url;
  return `${lead}${replaceSpans(core, hiddenSpans(layout), options.mask ?? MASK)}${trail}`;
}

/**
 * Where `url` points, for messages: `scheme://user@host:port/path`, without password, query or fragment
 * (`postgres://app:pw@db:5433/shop?sslmode=require` -> `postgres://app@db:5433/shop`). Read like maskUrl
 * (cautious reading included); what cannot be parsed and may hold a secret gives HIDDEN_URL.
 */
export function urlLocation(url: string): string {
  const { core } = trimmed(url);
  const layout = layoutUrl(core);
  if (layout === undefined) return mayHoldCredentials(core) ? HIDDEN_URL : core;
  if (!layout.valid && mayHoldSecret(core, layout)) return `${core.slice(0, layout.parsed.prefixEnd)}${HIDDEN_URL}`;
  const reading = layout.cautious ?? layout.parsed;
  const user = reading.userEnd < 0 ? '' : core.slice(reading.prefixEnd, reading.userEnd);
  return `${core.slice(0, reading.prefixEnd)}${user === '' ? '' : `${user}@`}${core.slice(reading.hostStart, reading.pathEnd)}`;
}

function attempt(encode: () => string): string {
  try {
    return encode();
  } catch {
    return '';
  }
}

/** A secret as written and in the forms a message may show it: decoded, and re-encoded as URL and encodeURIComponent do. */
function forms(raw: string, kind: 'password' | 'parameter'): string[] {
  const decoded = percentDecode(kind === 'parameter' ? raw.replace(/\+/g, ' ') : raw);
  const reencoded =
    kind === 'password'
      ? attempt(() => {
          const url = new URL('x://h');
          url.password = decoded;
          return url.password;
        })
      : attempt(() => new URLSearchParams([['x', decoded]]).toString().slice(2));
  return [raw, decoded, percentDecode(raw), reencoded, attempt(() => encodeURIComponent(decoded))];
}

/** Base64 of `user:password` as a client sends it in `Authorization: Basic` (decoded), and as written. */
function basicAuthForms(core: string, reading: UrlReading): string[] {
  const password = reading.secrets[0];
  if (reading.userEnd < 0 || reading.kinds[0] !== 'password' || password?.start !== reading.userEnd + 1) return [];
  const pair = `${core.slice(reading.prefixEnd, reading.userEnd)}:${core.slice(password.start, password.end)}`;
  return [base64(percentDecode(pair)), base64(pair)];
}

/**
 * Every secret of `url`, to scrub from messages that may quote it: the password and the secret parameter
 * values, as written, percent-decoded (what the client sends) and re-encoded (what `new URL(...)` prints),
 * and base64 of `user:password` (an echoed basic-auth header), from both readings when the URL can be read
 * two ways. Also for URLs clients reject. No duplicates, no ''.
 */
export function urlSecrets(url: string): string[] {
  const { core } = trimmed(url);
  const layout = layoutUrl(core);
  const found: string[] = [];
  if (layout === undefined) {
    if (mayHoldCredentials(core)) found.push(...forms(core.slice(core.indexOf(':') + 1, core.lastIndexOf('@')), 'password'));
  } else {
    for (const reading of [layout.parsed, layout.cautious]) {
      if (reading === undefined) continue;
      reading.secrets.forEach((span, i) => found.push(...forms(core.slice(span.start, span.end), reading.kinds[i] ?? 'password')));
      found.push(...basicAuthForms(core, reading));
    }
  }
  return [...new Set(found)].filter((secret) => secret !== '');
}

function maskUrlInText(url: string, options: MaskOptions): string {
  const layout = layoutUrl(url);
  const punctuation = trailingPunctuation(url);
  // `(see postgres://u:pw@db:5432).` is invalid only for its closing punctuation: mask the URL before it.
  if (layout !== undefined && !layout.valid && punctuation !== '') return `${maskUrl(url.slice(0, -punctuation.length), options)}${punctuation}`;
  return maskUrl(url, options);
}

/** What replaceSecrets looks for: each secret as given, in base64 and URL-encoded; no duplicates, no '', longest first. */
function searchList(secrets: readonly string[]): string[] {
  const all = secrets.filter((secret) => secret !== '').flatMap((secret) => [secret, ...encodedForms(secret)]);
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, list: readonly string[], mask: string): string {
  let out = text;
  for (const secret of list) out = out.split(secret).join(mask);
  return out;
}

/** maskText with the search list already made (maskDeep makes it once for every string). */
function maskWithList(text: string, list: readonly string[], options: MaskOptions): string {
  const mask = options.mask ?? MASK;
  return replaceAll(hideAuthCredentials(text.replace(URL_IN_TEXT, (url) => maskUrlInText(url, options)), mask), list, mask);
}

/**
 * `text` (an error message, a log line, a server's answer) safe to show: every URL in it masked as maskUrl
 * does (a URL ends at white space, a quote or `<>`), the credential of every `Basic <base64>` and
 * `Bearer <token>` hidden, then every string of `secrets` (e.g. from urlSecrets) replaced by the mask,
 * longest first, also in base64 and URL-encoded. A password holding a space is only found through
 * `secrets`: in free text, a URL ends at the space.
 */
export function maskText(text: string, secrets: readonly string[] = [], options: MaskOptions = {}): string {
  return maskWithList(text, searchList(secrets), options);
}

/**
 * `text` with every string of `secrets`, and its base64 and encodeURIComponent forms, replaced by the mask,
 * longest first; URLs and `Basic`/`Bearer` credentials are not looked at (maskText does).
 */
export function replaceSecrets(text: string, secrets: readonly string[], options: MaskOptions = {}): string {
  return replaceAll(text, searchList(secrets), options.mask ?? MASK);
}

/**
 * A copy of `value` (a JSON answer, log arguments) with every string in it masked by maskText, object keys
 * included, at any depth; Dates and other non-string leaves are kept as they are.
 */
export function maskDeep<T>(value: T, secrets: readonly string[] = [], options: MaskOptions = {}): T {
  const list = searchList(secrets);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskWithList(v, list, options);
    if (Array.isArray(v)) {
      // Copied only from the first element that changes: a column of numbers (a dashboard's frames) is not copied.
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const masked = typeof item === 'number' || item === null ? item : walk(item);
        if (out !== undefined) out.push(masked);
        else if (masked !== item) out = [...v.slice(0, i), masked];
      }
      return out ?? v;
    }
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [maskWithList(k, list, options), walk(inner)]));
    }
    return v;
  };
  return walk(value) as T;
}
