/** Where throttled errors go: the first of a kind, then one summary a period while they recur. */
export type ErrorLogSink = (fields: { err: Error; repeats: number; kind: string }, message: string) => void;

/**
 * Logs an error the first time its kind occurs, then at most once per `periodMs` for as long as
 * the same kind keeps failing, with how many were not logged. A database outage makes every loop
 * of a worker fail every few seconds; this keeps the log readable without hiding that it goes on.
 */
export class ThrottledErrorLog {
  private readonly kinds = new Map<string, { loggedAt: number; unlogged: number }>();

  constructor(
    private readonly sink: ErrorLogSink,
    private readonly periodMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(kind: string, error: Error, message: string): void {
    const at = this.now();
    const seen = this.kinds.get(kind);
    if (seen !== undefined && at - seen.loggedAt < this.periodMs) {
      seen.unlogged += 1;
      return;
    }
    this.sink({ err: error, repeats: seen?.unlogged ?? 0, kind }, message);
    this.kinds.set(kind, { loggedAt: at, unlogged: 0 });
  }
}
