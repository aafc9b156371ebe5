// Per-node status on stderr: on a TTY one line per node redrawn in place, otherwise one summary at the end.
import type { JobRun, NodeRun, NodeStatus, RunEvent } from '../graph/index.js';

const LABELS: Readonly<Record<NodeStatus, string>> = {
  pending: 'waiting',
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function formatNodeLine(node: NodeRun): string {
  return `- ${node.name} in=${node.in} out=${node.out} err=${node.err} [${LABELS[node.status]}]`;
}

export function formatRunSummary(run: JobRun): string {
  const seconds = ((run.finishedAt ?? Date.now()) - run.startedAt) / 1000;
  const lines = run.nodes.map(formatNodeLine);
  lines.push(`job '${run.job}' ${run.status} in ${seconds.toFixed(2)}s`);
  if (run.error) lines.push(run.error);
  return `${lines.join('\n')}\n`;
}

export interface ProgressOutput {
  readonly write: (text: string) => unknown;
  readonly isTTY?: boolean;
}

/** Returns an event listener that draws the run on `output`. */
export function progressReporter(output: ProgressOutput): (event: RunEvent) => void {
  let drawn = 0;
  const draw = (run: JobRun): void => {
    const lines = run.nodes.map(formatNodeLine);
    const up = drawn > 0 ? `\x1b[${drawn}F` : '';
    output.write(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
    drawn = lines.length;
  };
  return (event) => {
    if (output.isTTY) {
      if (event.type === 'progress' || event.type === 'run-started') draw(event.run);
      if (event.type === 'run-finished') {
        draw(event.run);
        const summary = formatRunSummary(event.run).split('\n').slice(event.run.nodes.length).join('\n');
        output.write(summary);
      }
      return;
    }
    if (event.type === 'run-finished') output.write(formatRunSummary(event.run));
  };
}
