// HTTP credentials as a server may echo them: `Basic`/`Bearer` header values, and secrets in base64 or URL-encoded.

/**
 * `Basic` or `Bearer`, white space, then a token68 (RFC 7235: letters, digits, `-._~+/`, then `=` padding).
 * An unquoted auth parameter (`Bearer realm=x`) does not match: a token68 is not followed by a token char.
 */
const AUTH_CREDENTIAL = /\b(basic|bearer)(\s+)([A-Za-z0-9._~+/-]+=*)(?![A-Za-z0-9._~+/=-])/gi;
/** The name of a quoted auth parameter (`realm` of `Bearer realm="x"`), which the token pattern reads as `realm=`. */
const PARAMETER_NAME = /^[A-Za-z_]+=$/;

/** Base64 of UTF-8 text, as HTTP clients encode `user:password` (axios, curl, fetch polyfills). */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Printable text holding a `:`: what base64 of `user:password` decodes to (a word such as `auth` does not). */
const USER_PASSWORD = /^[^\p{Cc}\uFFFD]*:[^\p{Cc}\uFFFD]*$/u;

/**
 * Whether `token` after `scheme` is a credential rather than a word of a sentence: a Basic token decodes to
 * `user:password`; a Bearer token holds a digit or a token68 sign, or is long (`Bearer token` stays), and is
 * no parameter name.
 */
function isCredential(scheme: string, token: string): boolean {
  if (scheme.toLowerCase() === 'basic') return /^[A-Za-z0-9+/]+={0,2}$/.test(token) && USER_PASSWORD.test(Buffer.from(token, 'base64').toString('utf8'));
  return !PARAMETER_NAME.test(token) && (/[0-9._~+/=-]/.test(token) || token.length >= 20);
}

/** `text` with the credential of every `Basic <base64>` and `Bearer <token>` replaced by `mask`; the scheme stays. */
export function hideAuthCredentials(text: string, mask: string): string {
  return text.replace(AUTH_CREDENTIAL, (match: string, scheme: string, space: string, token: string) => {
    // A sentence's full stop is not part of the token.
    const core = token.replace(/\.+$/, '');
    return core !== '' && isCredential(scheme, core) ? `${scheme}${space}${mask}${token.slice(core.length)}` : match;
  });
}

/** The forms a message may show `secret` in besides its own: base64 (an Authorization header) and encodeURIComponent. */
export function encodedForms(secret: string): string[] {
  let encoded = '';
  try {
    encoded = encodeURIComponent(secret);
  } catch {
    // A lone surrogate cannot be URL-encoded: no such form to hide.
  }
  return [base64(secret), encoded].filter((form) => form !== '' && form !== secret);
}

/** What basic auth with `user` and `password` sends that is secret: the password, and base64 of `user:password`. */
export function basicAuthSecrets(user: string, password: string): string[] {
  return password === '' ? [] : [password, base64(`${user}:${password}`)];
}
