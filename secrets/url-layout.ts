// Where the secrets of a URL sit in its text, found the way its clients read it (WHATWG URL, as used by pg and ioredis).
import { isSecretName } from './secret-name.js';

/** Characters [start, end) of the text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One reading of a URL text: where its parts are, what in it is secret. Indexes are into the text. */
export interface UrlReading {
  /** End of `scheme://`. */
  readonly prefixEnd: number;
  /** End of the user name (`:` or `@`); -1 without userinfo. */
  readonly userEnd: number;
  /** Start and end of host[:port]. */
  readonly hostStart: number;
  readonly hostEnd: number;
  /** End of the path (start of `?query` or `#fragment`). */
  readonly pathEnd: number;
  /** The password, then the values of secret-named query (and fragment) parameters. */
  readonly secrets: readonly Span[];
  /** Whether each secret is a password (percent-encoded) or a parameter value (form-encoded). */
  readonly kinds: readonly ('password' | 'parameter')[];
}

/** What a URL text holds: how clients read it, and a more cautious reading when the text can be read two ways. */
export interface UrlLayout {
  readonly scheme: string;
  /** The reading of WHATWG URL, pg-connection-string and ioredis: userinfo ends at the last `@` of the authority. */
  readonly parsed: UrlReading;
  /**
   * Set when an `@` follows the authority (in the path, query or fragment, outside a secret value) and the
   * text before it reads as `user:password`: the writer most likely meant a password holding `/`, `?` or `#`
   * (`postgres://etl:12#ab@db/site`). The password then runs to that `@`. For http(s), ws(s), ftp and file
   * URLs only when the authority already has userinfo (`https://host:3000/x?email=a@b.example` is common).
   */
  readonly cautious: UrlReading | undefined;
  /** Whether pg-connection-string (hence pg) accepts the text; WHATWG URL accepts no more than it. */
  readonly valid: boolean;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** Schemes WHATWG URL treats as "special": for them `\` ends the authority like `/`. */
const SPECIAL = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'file']);
const HOST_PORT = /^(\[[0-9a-f:.]*\]|[a-z0-9._~%-]*)(:\d*)?$/i;

/** Percent-decodes what can be decoded; a malformed `%` is left as written. */
export function percentDecode(text: string): string {
  return text.replace(/(%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** True when pg-connection-string 2.x parses `text`: its space/percent repair, WHATWG URL, its empty-host retry. */
function clientsAccept(text: string): boolean {
  let repaired = text;
  try {
    if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(repaired)) repaired = encodeURI(repaired).replace(/%25(\d\d)/g, '%$1');
  } catch {
    return false;
  }
  return URL.canParse(repaired) || URL.canParse(repaired.replace('@/', '@___DUMMY___/'));
}

function firstIndex(text: string, pattern: RegExp, from: number): number {
  const found = text.slice(from).search(pattern);
  return found < 0 ? text.length : from + found;
}

function secretParameters(text: string, start: number, end: number, into: Span[], kinds: ('password' | 'parameter')[]): void {
  let at = start;
  for (const part of text.slice(start, end).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && eq < part.length - 1 && isSecretName(percentDecode(part.slice(0, eq).replace(/\+/g, ' ')))) {
      into.push({ start: at + eq + 1, end: at + part.length });
      kinds.push('parameter');
    }
    at += part.length + 1;
  }
}

/** Reads `text` with its userinfo ending at `at` (-1: none) and its host starting after it. */
function read(text: string, scheme: string, prefixEnd: number, at: number): UrlReading {
  const hostStart = at < 0 ? prefixEnd : at + 1;
  const hostEnd = firstIndex(text, SPECIAL.has(scheme) ? /[/?#\\]/ : /[/?#]/, hostStart);
  const hash = text.indexOf('#', hostEnd);
  const question = text.indexOf('?', hostEnd);
  const query = question >= 0 && (hash < 0 || question < hash) ? question : -1;
  const pathEnd = query >= 0 ? query : hash >= 0 ? hash : text.length;
  const secrets: Span[] = [];
  const kinds: ('password' | 'parameter')[] = [];
  let userEnd = -1;
  if (at >= 0) {
    const colon = text.indexOf(':', prefixEnd);
    userEnd = colon >= 0 && colon < at ? colon : at;
    if (userEnd < at - 1) {
      secrets.push({ start: userEnd + 1, end: at });
      kinds.push('password');
    }
  }
  if (query >= 0) secretParameters(text, query + 1, hash >= 0 ? hash : text.length, secrets, kinds);
  if (hash >= 0) secretParameters(text, hash + 1, text.length, secrets, kinds);
  return { prefixEnd, userEnd, hostStart, hostEnd, pathEnd, secrets, kinds };
}

const inside = (index: number, spans: readonly Span[]): boolean => spans.some((s) => index >= s.start && index < s.end);

/** The layout of `text` when it starts with `scheme://`, else undefined. */
export function layoutUrl(text: string): UrlLayout | undefined {
  const match = SCHEME.exec(text);
  if (match === null) return undefined;
  const scheme = match[1]!.toLowerCase();
  const prefixEnd = match[0].length;
  const authorityEnd = firstIndex(text, SPECIAL.has(scheme) ? /[/?#\\]/ : /[/?#]/, prefixEnd);
  const at = text.lastIndexOf('@', authorityEnd - 1);
  const parsed = read(text, scheme, prefixEnd, at >= prefixEnd ? at : -1);
  let cautious: UrlReading | undefined;
  let later = text.lastIndexOf('@');
  while (later >= authorityEnd && inside(later, parsed.secrets)) later = text.lastIndexOf('@', later - 1);
  // Web URLs often hold an `@` in their path or query (`/@user`, `?email=a@b.example`): for them, only a URL
  // that already has userinfo is read cautiously.
  if (later >= authorityEnd && (!SPECIAL.has(scheme) || parsed.userEnd >= 0)) {
    const colon = text.indexOf(':', prefixEnd);
    const userLooksRight = colon >= 0 && colon < later && !/[/?#\\]/.test(text.slice(prefixEnd, colon));
    const reading = read(text, scheme, prefixEnd, later);
    if (userLooksRight && HOST_PORT.test(text.slice(reading.hostStart, reading.hostEnd))) cautious = reading;
  }
  return { scheme, parsed, cautious, valid: clientsAccept(text) };
}

/** True when a text without `scheme://` could still hold credentials: `user:password@host`. */
export function mayHoldCredentials(text: string): boolean {
  const colon = text.indexOf(':');
  return colon >= 0 && text.lastIndexOf('@') > colon;
}
