import { describe, expect, it } from 'vitest';
import { sharedWhileInUse, withServices } from './services.js';

describe('sharedWhileInUse', () => {
  it('overlapping runs share one service; the last to finish closes it; a later run opens a new one', async () => {
    const log: string[] = [];
    let n = 0;
    const provider = sharedWhileInUse({
      create: async () => {
        n += 1;
        log.push(`open ${n}`);
        return { id: n };
      },
      close: (s: { id: number }) => void log.push(`close ${s.id}`),
    });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = withServices('a', ['db'], { db: provider }, async (s) => {
      await held;
      return (s.db as { id: number }).id;
    });
    const second = await withServices('b', ['db'], { db: provider }, async (s) => (s.db as { id: number }).id);
    expect(log).toEqual(['open 1']);
    release();
    expect([await first, second]).toEqual([1, 1]);
    expect(log).toEqual(['open 1', 'close 1']);
    expect(await withServices('c', ['db'], { db: provider }, async (s) => (s.db as { id: number }).id)).toBe(2);
    expect(log).toEqual(['open 1', 'close 1', 'open 2', 'close 2']);
  });

  it('a failed open is not kept: the next run opens again', async () => {
    let attempts = 0;
    const provider = sharedWhileInUse({
      create: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('locked');
        return 'db';
      },
    });
    await expect(withServices('a', ['db'], { db: provider }, async () => 0)).rejects.toThrow('locked');
    expect(await withServices('b', ['db'], { db: provider }, async (s) => s.db)).toBe('db');
    expect(attempts).toBe(2);
  });
});
