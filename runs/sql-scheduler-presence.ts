// The embedded scheduler's beat in the metrics database's setting table (key 'embedded_scheduler'): its host
// and PID, and when it last beat (updated_at).
import type { ProcessIdentity } from '../embedded/index.js';
import { metricsTables, type MetricsDb } from '../writers/index.js';
import { STALE_SCHEDULER_MS, type SchedulerPresence, type SchedulerProcess } from './scheduler-presence.js';
import { storeQuery } from './store-query.js';

export class SqlSchedulerPresence implements SchedulerPresence {
  constructor(private readonly db: MetricsDb) {}

  async beat(owner: ProcessIdentity): Promise<void> {
    const t = metricsTables(this.db.settings.schema);
    await storeQuery(
      this.db,
      'job runs',
      'record the scheduler',
      `INSERT INTO ${t.setting} (key, value) VALUES ('embedded_scheduler', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [JSON.stringify({ host: owner.host, pid: owner.pid })],
    );
  }

  async live(): Promise<SchedulerProcess | undefined> {
    const t = metricsTables(this.db.settings.schema);
    const rows = await storeQuery<{ value: string }>(
      this.db,
      'job runs',
      'find the scheduler',
      `SELECT value FROM ${t.setting} WHERE key = 'embedded_scheduler' AND updated_at > now() - $1 * interval '1 millisecond'`,
      [STALE_SCHEDULER_MS],
    );
    return rows[0] === undefined ? undefined : (JSON.parse(rows[0].value) as SchedulerProcess);
  }
}
