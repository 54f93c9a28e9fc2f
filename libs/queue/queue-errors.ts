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
 * The enqueue ran on the primary but fewer replicas than required confirmed it in time (Redis WAIT): the
 * events may not survive a failover, so the caller must not promise them (answer 503; the sender's retry is
 * absorbed by dedupe, and waits for the replicas again).
 */
export class ReplicationTimeoutError extends Error {
  constructor({ required, confirmed, timeoutMs }: { required: number; confirmed: number; timeoutMs: number }) {
    super(`${confirmed} of ${required} replica(s) confirmed the enqueue within ${timeoutMs} ms`);
    this.name = 'ReplicationTimeoutError';
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
