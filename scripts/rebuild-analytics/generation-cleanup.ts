import { generationalKind } from '../../libs/analytics/index.js';
import type { PartitionedQueue, RedisClient } from '../../libs/queue/index.js';
import { deleteKeys, keysByPartition } from '../repartition/key-space.js';

/** The generation an analytics key name (after the queue's key base) belongs to; undefined for other keys. */
export function generationOfName(name: string): number | undefined {
  const generation = generationalKind(name)?.generation;
  return typeof generation === 'number' ? generation : undefined;
}

/**
 * Deletes every analytics key of the queue's partitions that belongs to none of the generations in `keep`:
 * the generation a rebuild replaced, and what an interrupted rebuild left. Returns how many were deleted.
 */
export async function deleteOtherGenerations(
  redis: RedisClient,
  queue: Pick<PartitionedQueue, 'partitions'>,
  prefix: string,
  name: string,
  keep: readonly number[],
): Promise<number> {
  // Only the analytics names are scanned (generation 0's all start with `a:`, later ones with `g<n>:`), not
  // the idempotency keys, of which a busy pipeline holds millions.
  const scans = await Promise.all(['a:*', 'g[1-9]*'].map((within) => keysByPartition(redis, prefix, name, within)));
  const doomed: string[] = [];
  for (const partition of queue.partitions) {
    for (const key of scans.flatMap((byPartition) => byPartition.get(partition.name) ?? [])) {
      const generation = generationOfName(key.slice(partition.keys.base.length));
      if (generation !== undefined && !keep.includes(generation)) doomed.push(key);
    }
  }
  return deleteKeys(redis, doomed);
}
