// The band `etl checks` prints: rounded to 2 decimals as the reason column is (its --json keeps the exact values).
import { expect, it } from 'vitest';
import { band } from './checks.js';

it('prints the anomaly band rounded, an open side empty, no band as nothing', () => {
  expect(band({ expectedLow: 437.583384837, expectedHigh: 572.416615163 })).toBe('437.58..572.42');
  expect(band({ expectedLow: null, expectedHigh: 2 })).toBe('..2');
  expect(band({ expectedLow: 0.1 + 0.2, expectedHigh: null })).toBe('0.3..');
  expect(band({ expectedLow: null, expectedHigh: null })).toBe('');
});
