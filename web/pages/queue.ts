// /queue (BullMQ mode): how many jobs the queue holds in each state.
import { html } from 'hono/html';
import { QUEUE_STATES, type QueueCounts } from '../queue-counts.js';
import { layout } from './render.js';

export function queuePage(counts: QueueCounts | undefined) {
  const body =
    counts === undefined
      ? html`<h1>Queue</h1><p>No queue: the embedded scheduler runs the jobs in its own process (set <code>scheduler.redisUrl</code> or <code>REDIS_URL</code> to spread them over workers).</p>`
      : html`<h1>Queue ${counts.queue}</h1>
<table><thead><tr>${QUEUE_STATES.map((s) => html`<th>${s}</th>`)}</tr></thead>
<tbody><tr>${QUEUE_STATES.map((s) => html`<td>${counts.counts[s]}</td>`)}</tr></tbody></table>`;
  return layout('Queue', { page: 'queue', nav: 'queue' }, body);
}
