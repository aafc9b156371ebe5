import { describe, expect, it } from 'vitest';
import { metricNamePart } from './metric-name.js';

/** Text, and the metric name part it becomes. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['Sign Up', 'sign_up'],
  ['Checkout.Done!', 'checkout_done_'],
  ['utm-Campaign_2', 'utm-campaign_2'],
  ['Example.COM', 'example_com'],
  ['', ''],
  // Each UTF-16 code unit is replaced: a character beyond the BMP becomes two.
  ['café', 'caf_'],
  ['a😀b', 'a__b'],
  // Lower-cased first: the Kelvin sign becomes 'k', the dotted capital I an 'i' and a combining dot.
  ['\u212a', 'k'],
  ['\u0130', 'i_'],
];

describe('metric name parts', () => {
  it('lower-cases and keeps only [a-z0-9_-], so a part never adds a level to the dotted name', () => {
    for (const [text, part] of CASES) expect(metricNamePart(text), JSON.stringify(text)).toBe(part);
    expect(CASES.every(([text]) => !metricNamePart(text).includes('.'))).toBe(true);
  });
});
