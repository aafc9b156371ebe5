// The objects reader's definition: its options (counted tables of a source database) and its wiring.
import { z } from 'zod';
import { defineReader, sqlSource } from './define-reader.js';
import { objectsReader } from './objects.js';
import { sourceNameOption } from './option-types.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';

export const objectsOptions = z.strictObject({
  source: sourceNameOption.optional().meta({ description: 'the SQL source (`sources.<name>`) holding the tables', default: DEFAULT_SQL_SERVICE }),
  tables: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, '_' or '-'").meta({ description: 'the metric is objects.<name>.count' }),
        table: z.string().min(1).meta({ description: 'the table counted, `table` or `schema.table`' }),
        where: z
          .string()
          .refine((w) => !w.includes(';'), "may not contain ';' (one condition, values as $n params)")
          .optional()
          .meta({ description: "an SQL condition: only rows matching it are counted; values as $1, $2... in params (no ';')", default: 'every row' }),
        params: z.array(z.unknown()).optional().meta({ description: 'values of the $n parameters of where' }),
      }),
    )
    .min(1)
    .meta({ description: 'the tables counted, at least one: each gives hourly objects.<name>.count (rows now)' }),
});

export const objectsDefinition = defineReader({
  name: 'objects',
  description: 'row counts of tables of a source database (objects.<name>.count, current hour)',
  options: objectsOptions,
  history: false,
  enable: 'set readers.objects.tables (and a source) in etl.config.json',
  services: (options, setup) => ({ names: [sqlSource(options.source, setup)] }),
  source: ({ source, ...options }, window, setup) => objectsReader({ ...options, window, service: sqlSource(source, setup), onWarning: setup.warn }),
});
