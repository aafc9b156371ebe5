// `metricsDatabase.serve`: the fixed port (and host, password, user) on which the process holding the embedded
// database serves it to PostgreSQL clients such as Grafana. Checked here; wired in writers/open-metrics-db.ts.
import { isIP } from 'node:net';
import { z } from 'zod';
import { shown } from '../readers/option-types.js';

const portProblem = { error: (issue: { readonly input?: unknown }) => `${shown(issue.input)} is not a port number (a whole number from 1 to 65535)` };

/** 127.0.0.0/8, ::1 and localhost (as web/server.ts's isLoopback; config may not import net/ or web/). */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || (bare.startsWith('::ffff:127.') && isIP(bare.slice(7)) === 4);
}

export const serveSchema = z
  .strictObject({
    port: z.number(portProblem).int(portProblem).min(1, portProblem).max(65_535, portProblem).optional().meta({ description: 'the port to listen on', default: 'a free one, known to etl commands only through the data directory' }),
    host: z.string().min(1, 'must not be empty').optional().meta({ description: 'the address to listen on; another than loopback only with an explicit password', default: '127.0.0.1' }),
    password: z.string().min(1, 'must not be empty (leave the key out to use the generated password)').optional().meta({ description: 'the password clients give (e.g. "${ETL_METRICS_DB_PASSWORD}"); default generated, kept in <dataDir>/metrics-db.password' }),
    user: z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, "letters, digits, '_', '.' or '-' (at most 63)").optional().meta({ description: 'the only user name accepted', default: 'any, `etl` in the URL printed at start' }),
  })
  .superRefine((serve, ctx) => {
    if (!serve.host || serve.password !== undefined || isLoopback(serve.host)) return; // '' has its own issue
    ctx.addIssue({
      code: 'custom',
      path: ['host'],
      message:
        `'${serve.host}' is not a loopback address: set metricsDatabase.serve.password too (e.g. "\${ETL_METRICS_DB_PASSWORD}"). ` +
        'The generated password lives in a file on this machine only, and a port open to the network (no TLS) should be opened on purpose, with a password chosen for it',
    });
  });

export type ServeConfig = z.infer<typeof serveSchema>;

/** `metricsDatabase`: `serve` applies to the embedded database only. */
export function serveNeedsEmbedded(db: { readonly url?: string | undefined; readonly serve?: unknown }, ctx: z.RefinementCtx): void {
  if (db.url === undefined || db.serve === undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['serve'],
    message: 'serves the embedded database only: with metricsDatabase.url, point Grafana at that PostgreSQL server instead (remove one of the two keys)',
  });
}
