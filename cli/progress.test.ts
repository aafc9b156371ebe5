import { describe, expect, it } from 'vitest';
import type { JobRun, NodeRun } from '../graph/index.js';
import { formatNodeLine, progressReporter } from './progress.js';

const node = (name: string, status: NodeRun['status'], n: number): NodeRun => ({
  name, kind: 'transform', status, in: n, out: n, err: 0, startedAt: 0, finishedAt: null, errors: [], fatal: null,
});
const run = (status: JobRun['status'], nodes: NodeRun[]): JobRun => ({ job: 'j', status, startedAt: 0, finishedAt: 1500, nodes, error: null });

describe('progress on stderr', () => {
  it('formats one line per node', () => {
    expect(formatNodeLine(node('normalize', 'succeeded', 3420))).toBe('- normalize in=3420 out=3420 err=0 [done]');
  });

  it('redraws lines in place on a TTY', () => {
    let text = '';
    const report = progressReporter({ isTTY: true, write: (t: string) => (text += t) });
    report({ type: 'progress', run: run('running', [node('a', 'running', 10), node('b', 'pending', 0)]) });
    report({ type: 'run-finished', run: run('succeeded', [node('a', 'succeeded', 20), node('b', 'succeeded', 20)]) });
    expect(text).toContain('\x1b[2K- a in=10 out=10 err=0 [running]');
    expect(text).toContain('\x1b[2F\x1b[2K- a in=20 out=20 err=0 [done]');
    expect(text).toContain("job 'j' succeeded in 1.50s");
  });

  it('prints one summary at the end otherwise', () => {
    let text = '';
    const report = progressReporter({ isTTY: false, write: (t: string) => (text += t) });
    report({ type: 'progress', run: run('running', [node('a', 'running', 10)]) });
    expect(text).toBe('');
    report({ type: 'run-finished', run: run('succeeded', [node('a', 'succeeded', 20)]) });
    expect(text).toBe("- a in=20 out=20 err=0 [done]\njob 'j' succeeded in 1.50s\n");
  });
});
