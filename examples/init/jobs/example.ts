// A job of your own: a graph of plain functions through which rows stream. Listed under `jobs` in
// etl.config.json (compiled: ./dist/jobs/example.js): `npx etl run users-by-plan` runs it once,
// `npx etl inspect --graph users-by-plan` prints its graph (DOT), `schedules` can run it on its own.
import { defineJob, graphBuilder, map, sink, source, type SqlClient } from 'etl-metrics';

interface PlanUsers {
  readonly plan: string;
  readonly users: number;
}

export const usersByPlanJob = defineJob({
  name: 'users-by-plan',
  description: 'Users per plan in the website database, printed',
  // The services its nodes ask for with ctx.service(name): here the source database `sources.website`.
  services: ['website'],
  build: () => {
    const b = graphBuilder('users-by-plan');
    b.source(
      'count',
      source(async function* (ctx) {
        const db = ctx.service<SqlClient>('website');
        const { rows } = await db.query<PlanUsers>('SELECT plan, count(*)::int AS users FROM users GROUP BY plan ORDER BY plan');
        yield* rows;
      }, 'website: users'),
    )
      .to('line', map((row: PlanUsers) => `${row.plan}: ${row.users} users`))
      .to('print', sink((line: string) => void process.stdout.write(`${line}\n`), 'stdout'));
    return b.build();
  },
});
