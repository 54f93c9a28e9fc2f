import type { PartitionedQueue, PartitionedQueueOptions, RedisClient } from '../index.js';
import { testQueue, uniquePrefix } from '../../../test/support/backends.js';

// A queue on its own key prefix with a hand-driven clock, so lease and backoff tests need no sleeping.
export interface QueueHarness {
  queue: PartitionedQueue;
  redis: RedisClient;
  prefix: string;
  advance(ms: number): void;
  /** Enqueues the ids, each placed by its own id (so, with partitions, spread over them). */
  enqueueIds(...ids: string[]): Promise<void>;
  /**
   * Enqueues the ids with one placement key, so they share a partition: order (FIFO) holds within a
   * partition, not across partitions.
   */
  enqueueInOrder(...ids: string[]): Promise<void>;
}

/** The placement key of enqueueInOrder. */
export const inOrderKey = 'in-order';

export function queueHarness(
  redis: RedisClient,
  overrides: Partial<Omit<PartitionedQueueOptions, 'redis'>> = {},
): QueueHarness {
  let now = 1_700_000_000_000;
  const prefix = overrides.prefix ?? uniquePrefix();
  const queue = testQueue(redis, {
    prefix,
    idempotencyTtlMs: 60_000,
    retryDelayMs: 1000,
    clock: () => now,
    random: () => 0.5,
    ...overrides,
  });
  return {
    queue,
    redis,
    prefix,
    advance: (ms) => {
      now += ms;
    },
    enqueueIds: async (...ids) => {
      await queue.enqueue(ids.map((id) => ({ id, body: JSON.stringify({ event_id: id }) })));
    },
    enqueueInOrder: async (...ids) => {
      await queue.enqueue(ids.map((id) => ({ id, body: JSON.stringify({ event_id: id }), placementKey: inOrderKey })));
    },
  };
}
