// The import rules of the house: test/architecture.test.ts checks the code against them, test/docs-examples.test.ts
// checks docs/architecture.md against them.

/**
 * The house: each folder and the folders it may import (besides itself). The same map is in docs/architecture.md (test/docs-examples.test.ts compares them).
 * Bottom: graph, metrics, sql, secrets. Storage (embedded, writers, runs) below execution; the scheduler and
 * the queue transport hand firings to execution; monitoring watches them; runtime wires configuration into
 * all of it; web and cli sit on top.
 */
export const MAY_IMPORT: Record<string, readonly string[]> = {
  secrets: [],
  dashboards: ['graph', 'metrics', 'secrets', 'sql', 'writers'],
  sql: [],
  metrics: [],
  graph: [],
  net: ['graph'],
  readers: ['graph', 'metrics', 'secrets', 'sql'],
  embedded: ['graph', 'secrets', 'sql'],
  writers: ['embedded', 'graph', 'metrics', 'secrets', 'sql'],
  jobs: ['graph', 'metrics', 'writers'],
  runs: ['embedded', 'graph', 'metrics', 'secrets', 'sql', 'writers'],
  execution: ['embedded', 'graph', 'jobs', 'metrics', 'runs', 'secrets', 'writers'],
  scheduler: ['embedded', 'execution', 'graph', 'jobs', 'metrics', 'runs', 'secrets'],
  queue: ['execution', 'graph', 'runs', 'secrets'],
  monitoring: ['execution', 'graph', 'queue', 'runs', 'secrets'],
  collector: ['graph', 'metrics', 'net', 'secrets', 'sql', 'writers'],
  checks: ['graph', 'jobs', 'metrics', 'secrets', 'sql', 'writers'],
  config: ['graph', 'metrics', 'readers', 'secrets'],
  runtime: ['checks', 'config', 'embedded', 'examples', 'execution', 'graph', 'jobs', 'metrics', 'monitoring', 'queue', 'readers', 'runs', 'scheduler', 'secrets', 'writers'],
  web: ['checks', 'dashboards', 'embedded', 'execution', 'graph', 'jobs', 'metrics', 'monitoring', 'net', 'queue', 'runs', 'runtime', 'scheduler', 'secrets', 'writers'],
};
