// Redis could not be reached or refused the operation: nothing was changed that the caller can rely on.
export class QueueUnavailableError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}

// The ready backlog is at its configured maximum; the caller should ask the sender to retry later.
export class BackpressureError extends Error {
  readonly depth: number;

  constructor({ depth, maxDepth }: { depth: number; maxDepth: number }) {
    super(`Ready backlog ${depth} is at the maximum of ${maxDepth}`);
    this.name = 'BackpressureError';
    this.depth = depth;
  }
}
