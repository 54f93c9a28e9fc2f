import { crc32 } from 'node:zlib';
import type { QueueItem } from './queue-types.js';

// Where an event lives when the queue has several partitions. The hash is CRC-32 (zlib's) of the UTF-8
// bytes of the item's placement key, the user id for Day15's events, so every per-user state (subscription,
// unique users) and the dedupe key of each event stay in one partition. The rule is part of the data
// format: the idempotency keys store the hash (enqueue-3.lua), and npm run repartition moves them by it.

/** The CRC-32 of the item's placement key (its id when it has none). */
export function placementHash(item: Pick<QueueItem, 'id' | 'placementKey'>): number {
  return crc32(item.placementKey ?? item.id);
}

/** The partition, of `partitions`, that a placement hash belongs to. */
export function partitionOfHash(hash: number, partitions: number): number {
  return hash % partitions;
}

/** The partition, of `partitions`, that a placement key (e.g. a user id) belongs to. */
export function partitionOfKey(placementKey: string, partitions: number): number {
  return partitionOfHash(crc32(placementKey), partitions);
}

/**
 * The queue name of each partition: the name itself for one partition (the layout and keys of a
 * single-partition queue, `{events}`), `<name>-<n>p0` ... `<name>-<n>p<n-1>` for n > 1, each its own hash
 * tag and so, in Redis Cluster, its own slot. The names carry n, so two layouts never share a key and
 * npm run repartition can copy one into the other before it switches.
 */
export function partitionNames(name: string, partitions: number): string[] {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`A queue has at least one partition, got ${partitions}`);
  }
  return partitions === 1 ? [name] : Array.from({ length: partitions }, (_, i) => `${name}-${partitions}p${i}`);
}
