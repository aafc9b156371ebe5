// A node's bounded input queue of row batches: many writers (fan-in), one reader, backpressure, cancellation.

export class Inbox<T> {
  private readonly queue: T[][] = [];
  private writers: number;
  private cancelledFlag = false;
  private wakeReader: (() => void) | undefined;
  private wakeWriters: Array<() => void> = [];

  constructor(
    writers: number,
    private readonly capacity: number,
  ) {
    this.writers = writers;
  }

  get cancelled(): boolean {
    return this.cancelledFlag;
  }

  /** Queues a batch, waiting while the queue is full. Resolves false when the reader is gone. */
  async push(batch: T[]): Promise<boolean> {
    for (;;) {
      if (this.cancelledFlag) return false;
      if (this.queue.length < this.capacity) {
        this.queue.push(batch);
        this.notifyReader();
        return true;
      }
      await new Promise<void>((resolve) => this.wakeWriters.push(resolve));
    }
  }

  /** Next batch, or undefined once every writer has closed (or the inbox was cancelled). */
  async pull(): Promise<T[] | undefined> {
    for (;;) {
      const batch = this.queue.shift();
      if (batch !== undefined) {
        this.notifyWriters();
        return batch;
      }
      if (this.writers === 0 || this.cancelledFlag) return undefined;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }

  /** One writer is done. */
  close(): void {
    this.writers -= 1;
    this.notifyReader();
  }

  /** The reader is gone: drop queued rows, release waiting writers (their push resolves false). */
  cancel(): void {
    this.cancelledFlag = true;
    this.queue.length = 0;
    this.notifyWriters();
    this.notifyReader();
  }

  private notifyReader(): void {
    const wake = this.wakeReader;
    this.wakeReader = undefined;
    wake?.();
  }

  private notifyWriters(): void {
    if (this.wakeWriters.length === 0) return;
    const waiting = this.wakeWriters;
    this.wakeWriters = [];
    for (const wake of waiting) wake();
  }
}
