// The browser tracker's source (collector/browser/tracker.js, plain JavaScript), found from collector/ and from dist/collector/.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CollectorSetupError } from './errors.js';

/** Next to this module in the sources; two levels up from dist/collector/ once compiled. */
const CANDIDATES = ['./browser/tracker.js', '../../collector/browser/tracker.js'];

export function trackerFile(): string {
  const files = CANDIDATES.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url)));
  const found = files.find((file) => existsSync(file));
  if (found === undefined) throw new CollectorSetupError(`collector: tracker.js not found (looked for ${files.join(', ')})`);
  return found;
}

/** The tracker's text (the server reads it once, at start-up). */
export function readTracker(): string {
  return readFileSync(trackerFile(), 'utf8');
}
