// suggest(): the closest known name to a mistyped one, or none.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../graph/index.js';
import { JobRegistry, type AnyJob } from '../jobs/registry.js';
import { findJob } from './commands/find-job.js';
import { didYouMean, editDistance, suggest } from './did-you-mean.js';

const SOURCES = ['all', 'objects', 'spiders', 'events', 'prometheus', 'google-analytics'];

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('event', 'events')).toBe(1);
    expect(editDistance('evnets', 'events')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('suggest', () => {
  it('suggests a close name: a typo, a swap, a missing letter, another case', () => {
    expect(suggest('al', SOURCES)).toBe('all');
    expect(suggest('evnets', SOURCES)).toBe('events');
    expect(suggest('spidrs', SOURCES)).toBe('spiders');
    expect(suggest('Objects', SOURCES)).toBe('objects');
    expect(suggest('promethues', SOURCES)).toBe('prometheus');
    expect(suggest('clena', ['example', 'clean'])).toBe('clean');
  });

  it('suggests the name a prefix begins', () => {
    expect(suggest('event', SOURCES)).toBe('events');
    expect(suggest('prom', SOURCES)).toBe('prometheus');
    expect(suggest('google', SOURCES)).toBe('google-analytics');
  });

  it('allows max(1, floor(length / 3)) edits', () => {
    expect(suggest('xyz', ['abc'])).toBeUndefined();
    expect(suggest('obxects', SOURCES)).toBe('objects');
    expect(suggest('obxxcts', SOURCES)).toBe('objects');
    expect(suggest('obxxxts', SOURCES)).toBeUndefined();
  });

  it('prefers the closest name, then the earlier one', () => {
    expect(suggest('objcts', ['object', 'objects'])).toBe('objects');
    expect(suggest('cat', ['cast', 'bat'])).toBe('cast');
  });

  it('suggests nothing for an unrelated, empty or one-letter name, or the name itself', () => {
    expect(suggest('nope', ['example', 'clean'])).toBeUndefined();
    expect(suggest('', SOURCES)).toBeUndefined();
    expect(suggest('e', SOURCES)).toBeUndefined();
    expect(suggest('events', ['events'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
  });

  it('didYouMean() gives the text for a message', () => {
    expect(didYouMean('al', SOURCES)).toBe("did you mean 'all'? ");
    expect(didYouMean('nope', SOURCES)).toBe('');
  });
});

describe('findJob', () => {
  const registry = new JobRegistry(['all', 'example', 'clean'].map((name) => ({ name }) as unknown as AnyJob));

  it('suggests the closest job, then lists the known ones', () => {
    expect(findJob(registry, 'all').name).toBe('all');
    expect(() => findJob(registry, 'al')).toThrow(new UsageError("unknown job 'al' (did you mean 'all'? known jobs: all, example, clean)"));
    expect(() => findJob(registry, 'nope')).toThrow(new UsageError("unknown job 'nope' (known jobs: all, example, clean)"));
  });
});
