// Masks secrets in configuration before it is printed (`etl config check`), with the project's one masker (secrets/).
import { isSecretName, MASK, maskText, maskUrl } from '../secrets/mask.js';

export { maskUrl };

/** Keys whose string value is a URL as a whole: a space in it may belong to the password. */
const URL_KEY = /(urls?|uris?|dsn|connectionstring)$/i;
const STARTS_AS_URL = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A copy of `value` safe to print: the value of a secret-looking key (password, token, secret, accessToken,
 * bearerToken, apiKey, privateKey, credentials...: see isSecretName) becomes '***', whatever it holds (an
 * object too; booleans stay); every string holding a URL has it masked (maskUrl for a URL value, maskText
 * for a URL inside other text).
 */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (key !== '' && isSecretName(key) && value !== null && value !== undefined && typeof value !== 'boolean') return MASK;
  if (typeof value === 'string') return URL_KEY.test(key) || STARTS_AS_URL.test(value) ? maskUrl(value) : maskText(value);
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}
