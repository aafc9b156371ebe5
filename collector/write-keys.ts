// Write keys: where a request carries one (Basic auth as Segment does, X-Write-Key, or the body) and which configured key it is.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { WriteKey } from './options.js';

/** Finds the name of the configured key equal to a candidate, in time that does not depend on where they differ. */
export interface KeyRing {
  nameOf(candidate: string): string | undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function keyRing(keys: readonly WriteKey[]): KeyRing {
  const hashed = keys.map((k) => ({ name: k.name, hash: digest(k.key) }));
  return {
    nameOf(candidate) {
      const hash = digest(candidate);
      let found: string | undefined;
      // Every key is compared, so the time taken says nothing about which one (nor how much of it) matched.
      for (const key of hashed) if (timingSafeEqual(hash, key.hash) && found === undefined) found = key.name;
      return found;
    },
  };
}

/**
 * The key of `Authorization: Basic base64(key:)` (the user name; the password is empty), else of
 * `X-Write-Key`; undefined when neither header is there. An Authorization of another scheme counts as absent.
 */
export function keyFromHeaders(authorization: string | undefined, xWriteKey: string | undefined): string | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (basic !== null) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? decoded : decoded.slice(0, colon);
  }
  const header = xWriteKey?.trim();
  return header === undefined || header === '' ? undefined : header;
}
