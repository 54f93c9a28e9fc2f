export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of base * 2^(n-1), so
 * retries of events that failed together spread out instead of failing together again.
 */
export function retryDelayMs(attempt: number, { baseMs, maxMs }: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
