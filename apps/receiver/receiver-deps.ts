import type { Day15Config } from '../../libs/config/index.js';
import type { Logger } from '../../libs/logging/index.js';
import type { PartitionedQueue } from '../../libs/queue/index.js';

/** Everything the receiver needs, passed in so tests can build it around any queue and clock. */
export interface ReceiverDeps {
  config: Day15Config;
  queue: Pick<
    PartitionedQueue,
    'enqueue' | 'countRejected' | 'stats' | 'partitions' | 'deadLetters' | 'eventStatus' | 'ping'
  >;
  logger: Logger;
  /** Set `stopping` when a graceful stop begins: GET /readyz answers 503 from then on, before the listener drains. */
  shutdown?: ShutdownState;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
}

/** Whether the receiver is stopping; main.ts sets it first thing on SIGTERM. */
export interface ShutdownState {
  stopping: boolean;
}
