// How a run ended for good (succeeded, or failed after its last attempt), and the port the executor tells it
// to: monitoring/alerts.ts implements it with a webhook.

/** A run's final outcome: failed after its last attempt (or not retryable), or succeeded. */
export interface FinalOutcome {
  readonly job: string;
  /** The run record, when one was made. */
  readonly runId: number | undefined;
  readonly status: 'succeeded' | 'failed';
  readonly attempt: number;
  /** Attempts the schedule allows (retries + 1). */
  readonly attempts: number;
  /** False when the failure would recur on every attempt (not retried). */
  readonly retryable?: boolean;
  /** The window read, epoch ms [from, to). */
  readonly window?: { readonly from: number; readonly to: number };
  readonly error?: string;
}

/** What the firing handler tells of final outcomes. Rejects when the alert could not be sent (the caller logs it). */
export interface AlertSink {
  notify(outcome: FinalOutcome): Promise<void>;
}
