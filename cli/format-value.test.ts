import { expect, it } from 'vitest';
import { formatValue } from './format-value.js';

it('trims floating-point noise, keeps integers and real precision', () => {
  expect(formatValue(281.39999999999986)).toBe('281.4');
  expect(formatValue(0.1 + 0.2)).toBe('0.3');
  expect(formatValue(1500)).toBe('1500');
  expect(formatValue(1 / 3)).toBe('0.333333333333');
  expect(formatValue(Number.NaN)).toBe('NaN');
});
