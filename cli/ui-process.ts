// The web UI in a CLI process: `etl ui` on its own, or next to the embedded/BullMQ scheduler of `etl scheduler`.
import type { EtlRuntime } from '../runtime/runtime.js';
import type { JobSchedule } from '../scheduler/schedule.js';
import type { UiDeps } from '../web/contract.js';
import type { RunningUi } from '../web/server.js';
import type { CliContext } from './context.js';
import { EXIT_OK } from './exit-codes.js';
import { untilSignal } from './signals.js';

export interface UiOptions {
  readonly host: string;
  readonly port: number;
}

/** What the UI needs, from the runtime of this process. */
/** Fails early (exit 2) when the UI would listen on a non-loopback address without ETL_UI_TOKEN. */
export async function checkUiBind(runtime: EtlRuntime, host: string): Promise<void> {
  const { checkBind } = await import('../web/server.js');
  checkBind(host, runtime.config.env.ETL_UI_TOKEN?.trim());
}

export async function uiDeps(runtime: EtlRuntime, schedules: readonly JobSchedule[], warn: (message: string) => void): Promise<UiDeps> {
  const { createRunHere } = await import('../web/server.js');
  const token = runtime.config.env.ETL_UI_TOKEN?.trim();
  return { runtime, schedules, runHere: createRunHere(runtime, warn), ...(token ? { token } : {}) };
}

/** Starts the UI and says where on stderr. */
export async function startUiFor(ctx: CliContext, schedules: readonly JobSchedule[], options: UiOptions): Promise<RunningUi> {
  const { startUi } = await import('../web/server.js');
  const warn = (message: string): void => void ctx.stderr.write(`warning: ${message}\n`);
  const deps = await uiDeps(ctx.runtime(), schedules, warn);
  const ui = await startUi({ deps, host: options.host, port: options.port });
  ctx.stderr.write(`web UI on ${ui.url}${deps.token === undefined ? '' : ' (token required: ETL_UI_TOKEN)'}\n`);
  return ui;
}


/** `etl ui`: serves until SIGINT/SIGTERM, then exits 0. */
export async function runUiCommand(ctx: CliContext, options: UiOptions): Promise<number> {
  const runtime = ctx.runtime();
  await checkUiBind(runtime, options.host);
  const { resolveSchedules } = await import('../runtime/schedules.js');
  const schedules = resolveSchedules(runtime.config, await runtime.registry());
  await runtime.runStorage();
  const ui = await startUiFor(ctx, schedules, options);
  const signal = await untilSignal();
  ctx.stderr.write(`${signal}: web UI stopped\n`);
  await ui.close();
  return EXIT_OK;
}
