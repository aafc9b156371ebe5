// The JSON the server sends (the API and the event stream, see web/contract.ts), as far as the views read it.
// The server hands its own records (RunRecord, JobSummary, PartitionCalendar) to the same views, so tsc checks
// on every build that they still fit these shapes.

export interface RowErrorJson {
  readonly node: string;
  readonly rowNumber: number;
  readonly row: string;
  readonly error: string;
}

/** A span of time: a run or a node. */
export interface SpanJson {
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export interface NodeJson extends SpanJson {
  readonly name: string;
  readonly kind: string;
  readonly status: string;
  readonly in: number;
  readonly out: number;
  readonly err: number;
  readonly errors: readonly RowErrorJson[];
  readonly fatal: string | null;
}

export interface RunJson extends SpanJson {
  readonly id: number;
  readonly status: string;
  readonly queuedAt: number | null;
  readonly error: string | null;
  readonly host: string | null;
  readonly pid: number | null;
  readonly nodes: readonly NodeJson[];
  readonly logTail: readonly string[];
}

export interface JobSummaryJson {
  readonly name: string;
  readonly description: string;
  readonly schedule: { readonly cron: string; readonly timeZone: string; readonly text: string; readonly next: number } | null;
  readonly paused: boolean;
  readonly lastRun: RunJson | null;
  readonly recent: ReadonlyArray<{ readonly id: number; readonly status: string }>;
}

export type PartitionStatusName = 'missing' | 'queued' | 'running' | 'success' | 'failed' | 'skipped';

export interface PartitionStateJson {
  readonly key: string;
  readonly status: PartitionStatusName;
  readonly runId: number | null;
  readonly attempts: number;
  readonly reason: string | null;
}

export interface CalendarDayJson {
  readonly date: string;
  readonly day: PartitionStateJson;
  readonly hours: readonly PartitionStateJson[];
}

export interface CalendarJson {
  readonly job: string;
  readonly days: readonly CalendarDayJson[];
  /** By status (over the day partitions). */
  readonly counts: Readonly<Record<string, number>>;
}

/** The events of GET /api/events and what each carries. */
export interface StreamEvents {
  readonly jobs: readonly JobSummaryJson[];
  readonly run: RunJson;
  readonly partitions: CalendarJson;
}
