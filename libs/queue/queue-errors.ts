/** Redis could not be reached or refused the operation: nothing was changed that the caller can rely on. */
export class QueueUnavailableError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}

/** The ready backlog is at its configured maximum; the caller should ask the sender to retry later. */
export class BackpressureError extends Error {
  readonly depth: number;

  constructor({ depth, maxDepth }: { depth: number; maxDepth: number }) {
    super(`Ready backlog ${depth} is at the maximum of ${maxDepth}`);
    this.name = 'BackpressureError';
    this.depth = depth;
  }
}

/**
 * Runs one Redis operation of the queue's and turns any failure into QueueUnavailableError, so every caller
 * (webhooks, admin, metrics) maps "Redis is away" to the same answer: 503 with Retry-After.
 */
export async function unavailableOnError<T>(
  operation: () => Promise<T>,
  message = 'Queue operation failed',
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw error instanceof QueueUnavailableError ? error : new QueueUnavailableError(message, { cause: error });
  }
}
