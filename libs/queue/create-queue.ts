import type { RedisClient } from './redis-client.js';
import type { Day15Config } from '../config/index.js';
import { PartitionedQueue } from './partitioned-queue.js';

/** The pipeline's queue as the configuration describes it; every process builds it the same way. */
export function createQueue(redis: RedisClient, config: Day15Config): PartitionedQueue {
  return new PartitionedQueue({
    redis,
    prefix: config.redis.keyPrefix,
    partitions: config.redis.partitions,
    idempotencyTtlMs: config.processing.idempotencyTtlMs,
    maxAttempts: config.processing.maxAttempts,
    retryDelayMs: config.processing.retryDelayMs,
    replication: { replicas: config.redis.waitReplicas, timeoutMs: config.redis.waitTimeoutMs },
    archive: config.archive.enabled,
  });
}
