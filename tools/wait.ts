// Waiting on conditions, never on the clock, for tests, the chaos suite and the benchmark. Every wait is
// bounded by a generous timeout (a loaded 2-core CI machine is several times slower than a laptop): a
// condition that holds returns at once, so only a broken test or product ever waits it out, and then the
// error says what was awaited and what the world looked like.

/**
 * Only for pacing (e.g. "one event every 200 ms") or for giving a broken implementation the chance to
 * misbehave; never to wait for something to happen: use waitUntil for that.
 */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a waitUntil was waiting for: a fixed text, a function giving the current state (e.g. queue stats),
 * or both.
 */
export type WaitDescription = string | (() => unknown) | { what: string; state: () => unknown };

export interface WaitOptions {
  /** Pause between two checks; 25 ms by default. */
  intervalMs?: number;
}

/**
 * Polls until the condition holds (errors count as "not yet", e.g. a server that is still starting). On
 * timeout the error says what was awaited, the state at that moment (when `describe` gives one) and the
 * last error the condition threw.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  describe?: WaitDescription,
  { intervalMs = 25 }: WaitOptions = {},
): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastError: unknown;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    // Checked after the attempt, so a condition is always tried at least once, even after a long stall.
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const parts = [`Condition not met within ${timeoutMs} ms (${attempts} checks)`];
  const what = typeof describe === 'object' ? describe.what : describe;
  const state = typeof describe === 'object' ? describe.state : describe;
  if (typeof what === 'string') parts.push(`waiting for: ${what}`);
  if (typeof state === 'function') parts.push(`state at timeout: ${await stateOf(state)}`);
  if (lastError !== undefined)
    parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  throw new Error(parts.join('; '), { cause: lastError });
}

async function stateOf(describe: () => unknown): Promise<string> {
  try {
    const state = await describe();
    return typeof state === 'string' ? state : JSON.stringify(state);
  } catch (error) {
    return `(could not be read: ${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Resolves like `promise`, or rejects saying `what` did not happen within `timeoutMs`. */
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

/** What waitForDrained reads: a ReliableQueue's stats (structurally, so tools need no queue internals). */
export interface DrainableQueue {
  stats(): Promise<{ ready: number; inFlight: number; delayed: number; dead: number; counters: { acked: number } }>;
}

export interface DrainOptions extends WaitOptions {
  /** 90 s by default. */
  timeoutMs?: number;
  /** Also wait until at least this many events were acked in all (e.g. all that were sent). */
  acked?: number;
}

/**
 * Waits until the queue has nothing ready, in flight or delayed (every event processed or dead-lettered)
 * and, with `acked`, at least that many events were acked; resolves with the milliseconds it took. On
 * timeout the error shows the queue's stats.
 */
export async function waitForDrained(
  queue: DrainableQueue,
  { timeoutMs = 90_000, acked = 0, intervalMs }: DrainOptions = {},
): Promise<number> {
  const started = performance.now();
  await waitUntil(
    async () => {
      const stats = await queue.stats();
      return stats.ready + stats.inFlight + stats.delayed === 0 && stats.counters.acked >= acked;
    },
    timeoutMs,
    {
      what: `the queue to drain (nothing ready, in flight or delayed${acked > 0 ? `, at least ${acked} acked` : ''})`,
      state: () => queue.stats(),
    },
    { intervalMs },
  );
  return performance.now() - started;
}
