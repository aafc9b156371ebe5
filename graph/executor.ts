// Runs a JobGraph: one async loop per node, bounded inboxes between them, events through a callback.
import { describeError } from './errors.js';
import { Inbox } from './inbox.js';
import type { JobGraph } from './job-graph.js';
import type { NodeContext } from './node.js';
import { NodeState } from './node-state.js';
import type { JobRun, NodeRun, RunEvent, RunStatus } from './run-status.js';
import { runNode, type NodeIO, type NodeOutcome } from './run-node.js';
import { isRetryable, MissingServiceError, RunTimeoutError } from './errors.js';

export interface RunOptions {
  /** Job name used in messages (default: the graph's name). */
  readonly job?: string;
  /** Services resolved for this run, by name (see resolveServices). */
  readonly services?: Readonly<Record<string, unknown>>;
  /** Cancels the run: every node stops, the run ends 'cancelled'. */
  readonly signal?: AbortSignal;
  /** Receives run-started, node-started, progress, node-finished and run-finished events. */
  readonly onEvent?: (event: RunEvent) => void;
  /** Rows per batch between nodes (default 1000). */
  readonly batchSize?: number;
  /** Batches an inbox holds before its writers wait (default 4). */
  readonly bufferBatches?: number;
  /** Period of progress events in ms (default 250). */
  readonly progressIntervalMs?: number;
  /** Row errors kept as examples per node (default 5). */
  readonly maxErrorExamples?: number;
}

export async function runGraph(graph: JobGraph, options: RunOptions = {}): Promise<JobRun> {
  const job = options.job ?? graph.name;
  const batchSize = options.batchSize ?? 1000;
  const bufferBatches = options.bufferBatches ?? 4;
  const services = options.services ?? {};
  const onEvent = options.onEvent;
  const runAbort = new AbortController();

  const states = new Map<string, NodeState>();
  const inboxes = new Map<string, Inbox<unknown>>();
  const controllers = new Map<string, AbortController>();
  for (const name of graph.order) {
    const info = graph.info(name);
    states.set(name, new NodeState(name, info.kind, options.maxErrorExamples ?? 5));
    controllers.set(name, new AbortController());
    if (info.kind !== 'source') inboxes.set(name, new Inbox(info.inputs.length, bufferBatches));
  }

  const startedAt = Date.now();
  let finishedAt: number | null = null;
  let status: RunStatus = 'running';
  const snapshot = (): JobRun => {
    const nodes = graph.order.map((name) => states.get(name)!.snapshot());
    return { job, status, startedAt, finishedAt, nodes, error: summarize(job, status, nodes) };
  };
  const publish = (event: RunEvent): void => {
    if (onEvent === undefined) return;
    try {
      onEvent(event);
    } catch {
      // A listener's failure must not break the run it listens to.
    }
  };

  const cancelAll = (): void => {
    runAbort.abort();
    for (const inbox of inboxes.values()) inbox.cancel();
    for (const controller of controllers.values()) controller.abort();
  };
  const userSignal = options.signal;
  if (userSignal?.aborted) cancelAll();
  else userSignal?.addEventListener('abort', cancelAll, { once: true });

  publish({ type: 'run-started', run: snapshot() });
  const timer = setInterval(() => publish({ type: 'progress', run: snapshot() }), options.progressIntervalMs ?? 250);
  timer.unref();

  const runOne = async (name: string): Promise<void> => {
    await Promise.resolve();
    const info = graph.info(name);
    const state = states.get(name)!;
    const controller = controllers.get(name)!;
    const inbox = inboxes.get(name);
    const outputs: Array<Inbox<unknown> | null> = info.outputs.map((target) => inboxes.get(target)!);
    const ctx: NodeContext = {
      job,
      node: name,
      signal: controller.signal,
      service<T>(service: string): T {
        if (!Object.hasOwn(services, service)) throw new MissingServiceError(job, [service]);
        return services[service] as T;
      },
      reportError(error: unknown, row?: unknown): void {
        state.rowError(error, row, 0);
      },
    };
    const emit = async (rows: unknown[]): Promise<boolean> => {
      state.out += rows.length;
      if (outputs.length === 0) return !runAbort.signal.aborted;
      let alive = 0;
      for (let k = 0; k < outputs.length; k++) {
        const output = outputs[k];
        if (output === null || output === undefined) continue;
        if (await output.push(rows)) alive += 1;
        else outputs[k] = null;
      }
      return alive > 0;
    };
    const io: NodeIO = {
      state,
      ctx,
      inbox,
      batchSize,
      emit,
      stopped: () => runAbort.signal.aborted || (inbox?.cancelled ?? false) || controller.signal.aborted,
    };

    state.status = 'running';
    state.startedAt = Date.now();
    publish({ type: 'node-started', node: state.snapshot() });
    let outcome: NodeOutcome | 'failed';
    try {
      outcome = await runNode(graph.node(name), io);
    } catch (error) {
      state.fatal = describeError(error);
      state.fatalRetryable = isRetryable(error);
      outcome = 'failed';
    }
    if (outcome !== 'completed') {
      inbox?.cancel();
      controller.abort();
    }
    for (const output of info.outputs) inboxes.get(output)!.close();
    state.status = outcome === 'completed' ? (state.err > 0 ? 'failed' : 'succeeded') : outcome;
    state.finishedAt = Date.now();
    publish({ type: 'node-finished', node: state.snapshot() });
  };

  try {
    await Promise.all(graph.order.map(runOne));
  } finally {
    clearInterval(timer);
    userSignal?.removeEventListener('abort', cancelAll);
  }
  finishedAt = Date.now();
  const nodes = [...states.values()];
  const timedOut = userSignal?.aborted === true && userSignal.reason instanceof RunTimeoutError;
  status = timedOut ? 'failed' : userSignal?.aborted ? 'cancelled' : nodes.some((s) => s.status === 'failed') ? 'failed' : 'succeeded';
  const run = timedOut ? { ...snapshot(), error: `job '${job}': ${(userSignal.reason as RunTimeoutError).message}` } : snapshot();
  publish({ type: 'run-finished', run });
  return run;
}

/** One line per failing node, naming the job, the node and its (first) error; null when the run succeeded. */
export function summarize(job: string, status: RunStatus, nodes: readonly NodeRun[]): string | null {
  if (status === 'cancelled') return `job '${job}': run cancelled`;
  const failed = nodes.filter((n) => n.fatal !== null || n.err > 0);
  if (failed.length === 0) return status === 'failed' ? `job '${job}' failed` : null;
  // Nodes that stopped come first: they are usually the cause of what follows.
  const ordered = [...failed.filter((n) => n.fatal !== null), ...failed.filter((n) => n.fatal === null)];
  return ordered.map((node) => `job '${job}': ${describeNodeFailure(node)}`).join('\n');
}

function describeNodeFailure(node: NodeRun): string {
  if (node.fatal !== null) return `node '${node.name}' failed: ${node.fatal}`;
  const example = node.errors[0];
  const where = example && example.rowNumber > 0 ? ` at row ${example.rowNumber}` : '';
  const detail = example ? `; first${where}: ${example.error} (row: ${example.row})` : '';
  return `node '${node.name}' had ${node.err} row error${node.err === 1 ? '' : 's'}${detail}`;
}
