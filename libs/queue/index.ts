export { ReliableQueue, type QueueOptions } from './reliable-queue.js';
export { layoutRecheckMs, PartitionedQueue, type PartitionedQueueOptions } from './partitioned-queue.js';
export type { DeadLetterStore } from './partitioned-dead-letters.js';
export { PartitionLayoutError } from './partition-layout.js';
export { partitionNames, partitionOfKey, placementHash } from './partition-placement.js';
export { parseSeenValue, type SeenValue, type SeenOutcome } from './seen-value.js';
export { durabilityWarnings } from './durability-check.js';
export { createQueue } from './create-queue.js';
export type { DeadLetters, DeadLetterSelection } from './dead-letters.js';
export { generationPrefix, queueKeys, type QueueKeys } from './queue-keys.js';
export { decodeOutboxEntry, type DecodedOutboxEntry, type OutboxEntry } from './outbox.js';
export { encodeEffects, mergeEffects, type Effect, type ContributionEffect } from './effects.js';
export { retryDelayMs, type BackoffOptions } from './backoff.js';
export { BackpressureError, QueueUnavailableError, ReplicationTimeoutError } from './queue-errors.js';
export {
  connectRedis,
  describeRedis,
  openRedis,
  redisUnreachableHint,
  type OpenedRedis,
  type RedisClient,
  type OpenRedisOptions,
  type RedisClientOptions,
} from './redis-client.js';
export type * from './queue-types.js';
