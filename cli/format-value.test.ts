import { expect, it } from 'vitest';
import { formatRounded, formatValue } from './format-value.js';

it('trims floating-point noise, keeps integers and real precision', () => {
  expect(formatValue(281.39999999999986)).toBe('281.4');
  expect(formatValue(0.1 + 0.2)).toBe('0.3');
  expect(formatValue(1500)).toBe('1500');
  expect(formatValue(1 / 3)).toBe('0.333333333333');
  expect(formatValue(Number.NaN)).toBe('NaN');
});

it('rounds to 2 decimals and trims trailing zeros, as a check reason prints a band', () => {
  expect(formatRounded(437.583384837)).toBe('437.58');
  expect(formatRounded(572.416615163)).toBe('572.42');
  expect(formatRounded(1500)).toBe('1500');
  expect(formatRounded(0.5)).toBe('0.5');
  expect(formatRounded(-0.001)).toBe('0');
  expect(formatRounded(-12.345678)).toBe('-12.35');
});
