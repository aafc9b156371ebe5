// The objects reader's definition: its options (counted tables of a source database) and its wiring.
import { z } from 'zod';
import { defineReader, sqlSource } from './define-reader.js';
import { objectsReader } from './objects.js';
import { sourceNameOption } from './option-types.js';

export const objectsOptions = z.strictObject({
  source: sourceNameOption.optional(),
  tables: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, '_' or '-'"),
        table: z.string().min(1),
        where: z.string().refine((w) => !w.includes(';'), "may not contain ';' (one condition, values as $n params)").optional(),
        params: z.array(z.unknown()).optional(),
      }),
    )
    .min(1),
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
