import { QueueUnavailableError, unavailableOnError } from './queue-errors.js';
import { queueKeys } from './queue-keys.js';
import type { RedisClient } from './redis-client.js';

// A queue's data is only readable with the number of partitions it was written with: events, dedupe keys
// and per-user analytics sit in the partition of their user. The number is recorded under the queue's own
// name (`day15:{events}:partitions`), where a single-partition queue keeps everything, so the record and the
// data of a queue from before partitions existed are found in the same place.

/** The data in Redis was written with another number of partitions than this process has. */
export class PartitionLayoutError extends QueueUnavailableError {
  constructor(message: string) {
    super(message, { cause: undefined });
    this.name = 'PartitionLayoutError';
  }
}

export interface PartitionLayout {
  prefix: string;
  name: string;
  partitions: number;
}

/**
 * Resolves when the queue was written with `partitions` partitions, or holds no data yet (then records the
 * number); PartitionLayoutError naming the way to change it otherwise. Data without a record was written by
 * a single-partition queue (before the record existed).
 */
export async function verifyPartitionLayout(redis: RedisClient, layout: PartitionLayout): Promise<void> {
  const keys = queueKeys(layout.prefix, layout.name);
  const recorded = await unavailableOnError(async () => {
    const stored = await redis.get(keys.layout);
    if (stored !== null) return Number(stored);
    const singlePartitionData = await redis.exists(keys.counters, keys.ready, keys.inFlight, keys.delayed, keys.dead);
    await redis.set(keys.layout, String(singlePartitionData > 0 ? 1 : layout.partitions), 'NX');
    return Number(await redis.get(keys.layout));
  }, 'Checking the partition layout failed');
  if (recorded !== layout.partitions) {
    throw new PartitionLayoutError(
      partitionMismatchMessage(`${layout.prefix}:{${layout.name}}`, recorded, layout.partitions),
    );
  }
}

/** Why a process refuses to start, and the way out. */
export function partitionMismatchMessage(queue: string, recorded: number, configured: number): string {
  return (
    `The queue ${queue} was written with DAY15_PARTITIONS=${recorded}, but this process has DAY15_PARTITIONS=` +
    `${configured}. Start every process with DAY15_PARTITIONS=${recorded}, or change the number safely: stop the ` +
    `receivers, let the consumers drain the queue, stop them, then run npm run repartition -- --to ${configured} ` +
    '(docs/scaling.md, "Changing the number of partitions")'
  );
}
