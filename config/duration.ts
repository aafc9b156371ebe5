// Durations in configuration: a number of milliseconds, or text such as '500ms', '30s', '10m', '1h30m', '2d'.
import { formatDuration, notADuration, tryParseDuration } from '../graph/duration.js';
import { ConfigError } from '../graph/errors.js';

export { formatDuration, notADuration, tryParseDuration };


/** Milliseconds of `text`; anything else throws a ConfigError naming `where` (a key or a variable) and the value. */
export function parseDuration(text: string | number, where: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new ConfigError(`${where}: ${notADuration(text)}`);
  return ms;
}

