// `etl collect [--port 8081] [--host 127.0.0.1]`: the event collector (POST /v1/batch, /v1/track; GET /tracker.js).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { hostName, portNumber } from './ui.js';

export function registerCollectCommand(program: Command, ctx: CliContext): void {
  program
    .command('collect')
    .description('serve the event collector: product events from browsers (GET /tracker.js) and servers into the events table')
    .option('--port <port>', 'port to listen on (default collector.port or 8081; 0: any free port)')
    .option('--host <host>', 'address to bind (default collector.host or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const port = portNumber('--port', options.port);
      const host = hostName('--host', options.host);
      const { runCollectCommand } = await import('../collect-process.js');
      ctx.setExitCode(await runCollectCommand(ctx, { ...(port === undefined ? {} : { port }), ...(host === undefined ? {} : { host }) }));
    });
}
