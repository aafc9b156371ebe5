// Services (database pools, HTTP clients) declared by a job, created once per run and closed after it.
import { MissingServiceError } from './errors.js';
import type { Awaitable } from './node.js';

/** How to create a service for a run, and how to release it afterwards. */
export interface ServiceProvider<T = unknown> {
  create(): Awaitable<T>;
  close?(service: T): Awaitable<void>;
}

export type ServiceProviders = Readonly<Record<string, ServiceProvider>>;

/** Wraps an existing value (already open elsewhere, not closed by the run) as a provider. */
export function provided<T>(value: T): ServiceProvider<T> {
  return { create: () => value };
}

/**
 * Creates the `required` services, runs `body` with them, then closes them (in reverse order).
 * Fails with MissingServiceError, before anything is created, when a provider is missing.
 */
export async function withServices<R>(
  job: string,
  required: readonly string[],
  providers: ServiceProviders,
  body: (services: Readonly<Record<string, unknown>>) => Promise<R>,
): Promise<R> {
  const missing = required.filter((name) => !Object.hasOwn(providers, name));
  if (missing.length > 0) throw new MissingServiceError(job, missing);
  const created: Array<[ServiceProvider, unknown]> = [];
  const services: Record<string, unknown> = {};
  try {
    for (const name of required) {
      const provider = providers[name]!;
      const service = await provider.create();
      created.push([provider, service]);
      services[name] = service;
    }
    return await body(Object.freeze(services));
  } finally {
    for (const [provider, service] of created.reverse()) await closeWithin(provider, service, CLOSE_TIMEOUT_MS);
  }
}

/** How long closing one service may take before the run moves on (a pool waiting on a hung query). */
export const CLOSE_TIMEOUT_MS = 5_000;

async function closeWithin(provider: ServiceProvider, service: unknown, ms: number): Promise<void> {
  if (provider.close === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([Promise.resolve(provider.close(service)), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One service shared by the runs of a process that overlap (a backfill runs several days at once): the first
 * run creates it, the others get the same one, the last to finish closes it. For services that can be open once
 * per process (an embedded database's directory lock), where a second create would wait for the first close.
 */
export function sharedWhileInUse<T>(provider: ServiceProvider<T>): ServiceProvider<T> {
  let current: Promise<T> | undefined;
  let users = 0;
  return {
    create: () => {
      users += 1;
      if (current === undefined) {
        const opening = Promise.resolve(provider.create());
        // A failed open is not kept: the next run tries again.
        opening.catch(() => {
          if (current === opening) current = undefined;
        });
        current = opening;
      }
      return current.catch((error: unknown) => {
        users -= 1;
        throw error;
      });
    },
    close: async (service) => {
      users -= 1;
      if (users > 0) return;
      current = undefined;
      await provider.close?.(service);
    },
  };
}
