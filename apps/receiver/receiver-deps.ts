import type { Day15Config } from '../../libs/config/index.js';
import type { Logger } from '../../libs/logging/index.js';
import type { ReliableQueue } from '../../libs/queue/index.js';

/** Everything the receiver needs, passed in so tests can build it around any queue and clock. */
export interface ReceiverDeps {
  config: Day15Config;
  queue: Pick<ReliableQueue, 'enqueue' | 'countRejected' | 'stats' | 'keys' | 'readData' | 'deadLetters'>;
  logger: Logger;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
}
