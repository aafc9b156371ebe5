// Structured logs of the long-running processes (scheduler, worker): pino, JSON lines on stderr by default,
// readable lines on a terminal (pino-pretty); every message and string field is masked (no secret in logs).
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { maskDeep } from '../secrets/mask.js';

export interface LoggerOptions {
  /** Readable lines instead of JSON (default: when stderr is a terminal). */
  readonly pretty?: boolean;
  readonly level?: string;
  /** Fields on every line (process role, queue...). */
  readonly base?: Record<string, unknown>;
  /** Extra secrets to scrub (database passwords). */
  readonly secrets?: readonly string[];
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const stream = (options.pretty ?? process.stderr.isTTY === true) ? pretty({ destination: 2, colorize: process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid, ...options.base },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => maskDeep(arg, secrets)) as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
}
