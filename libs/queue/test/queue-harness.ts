import type { QueueOptions, RedisClient, ReliableQueue } from '../index.js';
import { testQueue, uniquePrefix } from '../../../test/support/backends.js';

// A queue on its own key prefix with a hand-driven clock, so lease and backoff tests need no sleeping.
export interface QueueHarness {
  queue: ReliableQueue;
  redis: RedisClient;
  prefix: string;
  advance(ms: number): void;
  enqueueIds(...ids: string[]): Promise<void>;
}

export function queueHarness(redis: RedisClient, overrides: Partial<Omit<QueueOptions, 'redis'>> = {}): QueueHarness {
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
  };
}
