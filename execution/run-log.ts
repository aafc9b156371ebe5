// The last lines of a run's log, kept in its record (what `etl runs` and the UI show of a run's output).

export const LOG_TAIL_LINES = 50;

export class RunLog {
  private readonly lines: string[] = [];

  constructor(private readonly max = LOG_TAIL_LINES, private readonly now: () => number = Date.now) {}

  /** Adds one line (several for a text with newlines), stamped with the time. */
  add(text: string): void {
    const stamp = new Date(this.now()).toISOString().slice(11, 23);
    for (const line of text.split('\n')) if (line.trim() !== '') this.lines.push(`${stamp} ${line}`);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  tail(): readonly string[] {
    return [...this.lines];
  }
}
