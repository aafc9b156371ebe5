// `etl ui [--port 8080] [--host 127.0.0.1]`: the monitoring web UI (jobs, runs, live run graphs, actions).
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';

export const UI_DEFAULT_HOST = '127.0.0.1';
export const UI_DEFAULT_PORT = 8080;

/** A TCP port, 0 (any free one) to 65535. */
export function portNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new UsageError(`${option}: '${value}' is not a port number (0 to 65535)`);
  return Number(value);
}

/** The host to bind: any non-empty text (isLoopback decides whether a token is needed). */
export function hostName(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || /\s/.test(value.trim())) throw new UsageError(`${option}: '${value}' is not a host name or address`);
  return value.trim();
}

export function registerUiCommand(program: Command, ctx: CliContext): void {
  program
    .command('ui')
    .description('serve the monitoring web UI (binds 127.0.0.1; another address needs ETL_UI_TOKEN)')
    .option('--port <port>', `port to listen on (default ${UI_DEFAULT_PORT}; 0: any free port)`)
    .option('--host <host>', `address to bind (default ${UI_DEFAULT_HOST})`)
    .action(async (options: { port?: string; host?: string }) => {
      const port = portNumber('--port', options.port) ?? UI_DEFAULT_PORT;
      const host = hostName('--host', options.host) ?? UI_DEFAULT_HOST;
      const { runUiCommand } = await import('../ui-process.js');
      ctx.setExitCode(await runUiCommand(ctx, { host, port }));
    });
}
