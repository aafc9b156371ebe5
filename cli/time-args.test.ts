import { describe, expect, it } from 'vitest';
import { parseTimeArg } from './time-args.js';

describe('--from/--to', () => {
  it('reads dates and date-times in the configured zone', () => {
    expect(parseTimeArg('--from', '2026-11-01', 'Europe/Paris')).toBe(Date.UTC(2026, 9, 31, 23));
    expect(parseTimeArg('--from', '2026-11-01T13:30', 'Europe/Paris')).toBe(Date.UTC(2026, 10, 1, 12, 30));
    expect(parseTimeArg('--to', '2026-11-01T13:00Z', 'Europe/Paris')).toBe(Date.UTC(2026, 10, 1, 13));
  });

  it('rejects what is not a date, naming the option', () => {
    expect(() => parseTimeArg('--from', '2026-02-30', 'UTC')).toThrow("--from: '2026-02-30' is not a real date (YYYY-MM-DD)");
    expect(() => parseTimeArg('--to', 'yesterday', 'UTC')).toThrow("--to: 'yesterday' is not a date");
    expect(() => parseTimeArg('--to', '2026-01-01T25', 'UTC')).toThrow('invalid time');
  });
});
