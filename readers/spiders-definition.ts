// The spiders reader's definition: its options (a status table of crawlers/workers) and its wiring.
import { z } from 'zod';
import { defineReader, sqlSource } from './define-reader.js';
import { sourceNameOption } from './option-types.js';
import { spidersReader } from './spiders.js';

export const spidersOptions = z.strictObject({
  source: sourceNameOption.optional(),
  table: z.string().min(1).optional(),
  columns: z.strictObject({ worker: z.string().optional(), status: z.string().optional(), time: z.string().optional() }).optional(),
  query: z.string().min(1).optional(),
  minutes: z.number().int().positive().optional(),
  activeStatuses: z.array(z.string()).optional(),
  idleStatuses: z.array(z.string()).optional(),
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
