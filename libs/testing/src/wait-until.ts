import { setTimeout as delay } from 'node:timers/promises';

export interface WaitUntilOptions {
  /** Gives up after this long with an error naming `what`. */
  readonly timeoutMs: number;
  /** Pause between probes; default 100 ms. */
  readonly intervalMs?: number;
  /** What is waited for, for the timeout message. */
  readonly what: string;
}

/**
 * Probes until `probe` returns something other than `undefined`, `null` or `false`, and returns it.
 * Every wait in the multi-process tests goes through here, so none can hang a test run.
 */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: WaitUntilOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${options.timeoutMs.toString()} ms waiting for ${options.what}`);
    }
    await delay(options.intervalMs ?? 100);
  }
}
