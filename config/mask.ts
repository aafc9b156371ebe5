// Masks secrets in configuration before it is printed: URL passwords and secret-looking keys.

const SECRET_KEY = /(password|secret|token|apikey|api_key|privatekey|private_key|credentials)$/i;

/** `postgres://user:pw@host/db` -> `postgres://user:***@host/db`; other strings unchanged. */
export function maskUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/i, (_m, head: string) => `${head}:***@`);
}

/** A copy of `value` safe to print: secret keys replaced by '***', passwords in URLs masked. */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? '***' : maskUrl(value);
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}
