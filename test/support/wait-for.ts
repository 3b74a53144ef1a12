/**
 * Awaiting a condition instead of sleeping: the sandboxes poll every 250 ms and the job workers
 * back off, so a fixed sleep is either too short on a busy machine or wasted time on an idle one.
 */

export type WaitForOptions = {
  /** How long before giving up (default 15 s). */
  timeoutMs?: number;
  /** Pause between probes (default 25 ms). */
  intervalMs?: number;
  /** What is awaited, for the error when it never comes (a function is read only then). */
  what?: string | (() => string);
};

/**
 * Calls `probe` until it returns something other than `null`, `undefined` or `false`, and
 * returns that. A probe that throws fails at once (a broken probe is a bug, not a wait). When
 * the time runs out it throws, naming `what` and the last value the probe returned.
 */
export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const what = typeof options.what === 'function' ? options.what() : (options.what ?? 'a condition');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(value)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
