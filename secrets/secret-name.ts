// Which names (URL query parameters, configuration keys) hold a secret value.

/** Names whose value is a secret when they are the whole name (after normalising). */
const EXACT = new Set(['pass', 'pwd', 'passwd', 'password', 'secret', 'token', 'key', 'auth', 'authorization', 'sig', 'signature', 'credential', 'credentials']);

/**
 * Endings of a name whose value is a secret: `sslpassword`, `access_token`, `client_secret`, `bearerToken`,
 * `api_key`, `privateKey`, `X-Amz-Signature`... A bare `key` ending is not enough: `sslkey` is the path of
 * a key file (pg reads the file; its passphrase is `sslpassword`), `keyFile`, `sortKey` name no secret.
 */
const SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'masterkey',
  'accountkey',
  'signature',
  'credential',
  'credentials',
];

/**
 * True when a value named `name` must not be shown. Case, `_`, `-` and `.` are ignored, so `api_key`,
 * `apiKey` and `API-KEY` are one name. Paths to secret files (`sslkey`, `keyFile`, `passwordFile`) are not
 * secrets: they are shown.
 */
export function isSecretName(name: string): boolean {
  const normal = name.toLowerCase().replace(/[-_.\s]/g, '');
  return EXACT.has(normal) || SUFFIXES.some((suffix) => normal.endsWith(suffix));
}
