// `etl db migrate` and `etl db info`: the metrics database's schema and what it holds.
import type { Command } from 'commander';
import { describeMetricsDb, migrate } from '../../writers/index.js';
import type { CliContext } from '../context.js';

export function registerDbCommand(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('the metrics database: migrate, info');

  db.command('migrate')
    .description('apply the schema migrations not yet applied (a no-op when up to date)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const metricsDb = await ctx.openMetricsDb();
      try {
        const result = await migrate(metricsDb);
        const { schema } = metricsDb.settings;
        if (options.json) {
          ctx.stdout.write(`${JSON.stringify({ backend: metricsDb.backend, target: metricsDb.target, schema, ...result })}\n`);
          return;
        }
        const what = result.applied.length === 0 ? 'already up to date' : `applied migration${result.applied.length > 1 ? 's' : ''} ${result.applied.join(', ')}`;
        ctx.stdout.write(`${metricsDb.target} schema ${schema}: version ${result.to} (${what})\n`);
      } finally {
        await metricsDb.close();
      }
    });

  db.command('info')
    .description('backend, location (password masked), schema version and row counts')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const metricsDb = await ctx.openMetricsDb();
      try {
        const info = await describeMetricsDb(metricsDb);
        if (options.json) {
          ctx.stdout.write(`${JSON.stringify(info)}\n`);
          return;
        }
        const state = info.version === 0 ? 'not created yet (run `etl db migrate`)' : info.version < info.latestVersion ? `needs migration to ${info.latestVersion}` : 'up to date';
        const lines = [
          ['backend', info.backend],
          ['location', info.target],
          ['schema', `${info.schema} (version ${info.version} of ${info.latestVersion}: ${state})`],
          ['time zone', info.timeZone],
          ...Object.entries(info.rows ?? {}).map(([table, n]) => [`rows ${table}`, String(n)]),
        ];
        const width = Math.max(...lines.map(([k]) => k!.length));
        for (const [key, value] of lines) ctx.stdout.write(`${key!.padEnd(width)}  ${value}\n`);
      } finally {
        await metricsDb.close();
      }
    });
}
