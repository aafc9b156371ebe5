// The spiders reader's definition: its options (a status table of crawlers/workers) and its wiring.
import { z } from 'zod';
import { defineReader, sqlSource } from './define-reader.js';
import { sourceNameOption } from './option-types.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';
import { DEFAULT_ACTIVE_STATUSES, DEFAULT_IDLE_STATUSES, DEFAULT_SPIDERS_COLUMNS, DEFAULT_SPIDERS_MINUTES, DEFAULT_SPIDERS_TABLE, spidersReader } from './spiders.js';

export const spidersOptions = z.strictObject({
  source: sourceNameOption.optional().meta({ description: 'the SQL source (`sources.<name>`) holding the status table', default: DEFAULT_SQL_SERVICE }),
  table: z.string().min(1).optional().meta({ description: 'the status table, `table` or `schema.table`, one row per heartbeat or per worker (ignored with query)', default: DEFAULT_SPIDERS_TABLE }),
  columns: z
    .strictObject({
      worker: z.string().optional().meta({ description: 'worker (spider) identifier column', default: DEFAULT_SPIDERS_COLUMNS.worker }),
      status: z.string().optional().meta({ description: 'status column', default: DEFAULT_SPIDERS_COLUMNS.status }),
      time: z.string().optional().meta({ description: 'time of the status report, timestamptz', default: DEFAULT_SPIDERS_COLUMNS.time }),
    })
    .optional()
    .meta({ description: "the status table's columns (ignored with query)" }),
  query: z.string().min(1).optional().meta({ description: 'SQL of your own returning `worker` and `status`, one row per worker; may use $1 (now, timestamptz) and $2 (minutes)', default: 'the latest status of each worker in table' }),
  minutes: z.number().int().positive().optional().meta({ description: 'how far back a status report still counts, in minutes', default: String(DEFAULT_SPIDERS_MINUTES) }),
  activeStatuses: z.array(z.string()).optional().meta({ description: 'statuses counted in spider.active (case-insensitive; others count in spider.total only)', default: JSON.stringify(DEFAULT_ACTIVE_STATUSES) }),
  idleStatuses: z.array(z.string()).optional().meta({ description: 'statuses counted in spider.idle (case-insensitive)', default: JSON.stringify(DEFAULT_IDLE_STATUSES) }),
});

export const spidersDefinition = defineReader({
  name: 'spiders',
  description: 'active and idle workers from a status table (spider.active, spider.idle, current hour)',
  options: spidersOptions,
  history: false,
  enable: 'set readers.spiders (a source and its status table) in etl.config.json',
  services: (options, setup) => ({ names: [sqlSource(options.source, setup)] }),
  source: ({ source, ...options }, window, setup) => spidersReader({ ...options, window, service: sqlSource(source, setup), onWarning: setup.warn }),
});
