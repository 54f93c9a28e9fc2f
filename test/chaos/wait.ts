// Waiting on conditions, never on the clock. Every wait is bounded by a generous timeout (a loaded 2-core CI
// machine is several times slower than a laptop), and its error says what was still missing.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What the world looked like when the wait gave up, for the error message. */
  status?: () => string | Promise<string>;
}

// Polls `condition` until it holds. Errors thrown by the condition count as "not yet" (e.g. a server that is
// still starting), and the last one is reported if the wait gives up.
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, { timeoutMs = 60_000, intervalMs = 25, status }: WaitOptions = {}): Promise<void> {
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started >= timeoutMs) break;
    await sleep(intervalMs);
  }
  let state = '';
  if (status) {
    try {
      state = `; state: ${await status()}`;
    } catch (error) {
      state = `; state unavailable: ${(error as Error).message}`;
    }
  }
  const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
  throw new Error(`Still waiting after ${timeoutMs} ms for: ${what}${state}${cause}`, { cause: lastError });
}

// Resolves like `promise`, or rejects saying `what` did not happen within `timeoutMs`.
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Still waiting after ${timeoutMs} ms for: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
