// The Prometheus test helper itself: OpenMetrics text promtool accepts, clear failures, clean stop.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openMetrics, startPrometheus } from './prometheus.js';

describe('test Prometheus', () => {
  it('writes OpenMetrics with seconds, ascending samples and # EOF', () => {
    const text = openMetrics([{ name: 'jobs_total', labels: { queue: 'a"b' }, samples: [[2_000, 2], [1_000, 1]] }], 'counter');
    expect(text).toBe('# TYPE jobs counter\njobs_total{queue="a\\"b"} 1 1\njobs_total{queue="a\\"b"} 2 2\n# EOF\n');
  });

  it('fails clearly when the binary is missing', async () => {
    await expect(startPrometheus({ prometheusBinary: '/nonexistent/prometheus' })).rejects.toThrow(
      "test/support/prometheus: '/nonexistent/prometheus' not found: install the Debian package 'prometheus'",
    );
  });

  it('fails clearly when promtool rejects the history', async () => {
    await expect(startPrometheus({ history: 'not openmetrics\n' })).rejects.toThrow(/promtool could not import the history/);
  });

  it('serves imported history, and stop() ends the process and removes the data', async () => {
    const t = Date.UTC(2026, 0, 1);
    const prom = await startPrometheus({ history: openMetrics([{ name: 'up_gauge', samples: [[t, 7]] }]) });
    try {
      const res = await fetch(`${prom.url}/api/v1/query?query=up_gauge&time=${t / 1000}`);
      const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
      expect(body.data.result[0]?.value).toEqual([t / 1000, '7']);
    } finally {
      await prom.stop();
    }
    expect(existsSync(prom.dataDir)).toBe(false);
    expect(() => process.kill(prom.pid, 0)).toThrow();
  });
});
