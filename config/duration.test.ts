// Durations: parsing text and milliseconds, errors naming the key and the value, formatting for messages.
import { describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/support/errors.js';
import { ConfigError } from '../graph/errors.js';
import { formatDuration, parseDuration, tryParseDuration } from './duration.js';

const message = (run: () => unknown): string => thrownMessage(run, ConfigError);

describe('parseDuration', () => {
  it('reads milliseconds and text with units, largest first', () => {
    expect(parseDuration(1500, 'x')).toBe(1500);
    expect(parseDuration(0, 'x')).toBe(0);
    expect(parseDuration('500ms', 'x')).toBe(500);
    expect(parseDuration('30s', 'x')).toBe(30_000);
    expect(parseDuration('10m', 'x')).toBe(600_000);
    expect(parseDuration('1h', 'x')).toBe(3_600_000);
    expect(parseDuration('1h30m', 'x')).toBe(5_400_000);
    expect(parseDuration('2d', 'x')).toBe(172_800_000);
    expect(parseDuration('1m30s250ms', 'x')).toBe(90_250);
    expect(parseDuration(' 90s ', 'x')).toBe(90_000);
  });

  it('rejects anything else, naming where and the value', () => {
    expect(message(() => parseDuration('10 minutes', 'sources.website.connectTimeout'))).toBe(
      "sources.website.connectTimeout: '10 minutes' is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)",
    );
    expect(message(() => parseDuration(-5, 'ETL_LOCK_WAIT'))).toBe(
      'ETL_LOCK_WAIT: -5 is not a duration (a whole number of milliseconds)',
    );
    for (const bad of ['', '10', '1.5h', '30m1h', '1h1h', '5M', 'ms', '1w']) {
      expect(message(() => parseDuration(bad, 'ETL_LOCK_WAIT'))).toContain(`ETL_LOCK_WAIT: '${bad}' is not a duration`);
    }
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(tryParseDuration(bad)).toBeUndefined();
    expect(tryParseDuration(true)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('writes the largest units, omitting zeros', () => {
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(172_800_000)).toBe('2d');
    expect(formatDuration(90_250)).toBe('1m30s250ms');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(1499.6)).toBe('1s500ms');
    expect(formatDuration(-30_000)).toBe('-30s');
  });

  it('round-trips with parseDuration', () => {
    for (const text of ['500ms', '30s', '10m', '1h30m', '2d', '1d2h3m4s5ms']) expect(formatDuration(parseDuration(text, 'x'))).toBe(text);
  });
});
