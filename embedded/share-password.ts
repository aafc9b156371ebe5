// The password of a shared embedded database: in `<dir>.password` (mode 0600, beside its lock), generated
// when first shared and kept, read by this user's etl commands (and whatever else is given it, e.g. Grafana).
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** Where the password of the embedded database in `dir` is kept. */
export const passwordFile = (dir: string): string => `${dir}.password`;

/** A new password: 24 bytes of crypto.randomBytes (192 bits), as 32 URL-safe characters. */
export const generatePassword = (): string => randomBytes(24).toString('base64url');

/** The password kept for `dir`, if any (undefined when the file is missing, unreadable or empty). */
export function readSharePassword(dir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(passwordFile(dir), 'utf8');
  } catch {
    return undefined;
  }
  const password = text.replace(/\r?\n$/, '');
  return password === '' ? undefined : password;
}

/** Writes `text` to `file`, readable by this user only (0600), whole or not at all. */
export function writePrivately(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  rmSync(temp, { force: true }); // a leftover would keep its own mode
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The password `dir` is served with: `given` (the configured one), else the one kept, else a new one; kept in
 * `<dir>.password` with mode 0600 (tightened if it was wider).
 */
export function sharePassword(dir: string, given?: string): string {
  const kept = readSharePassword(dir);
  const password = given !== undefined && given !== '' ? given : (kept ?? generatePassword());
  if (password === kept) chmodSync(passwordFile(dir), 0o600);
  else writePrivately(passwordFile(dir), `${password}\n`);
  return password;
}
