import type { QueueKeys, RedisClient } from '../../libs/queue/index.js';
import type { CarriedState } from './carried-state.js';
import { applyWrites, groupBy, inPipelines } from './key-space.js';
import { LayoutWrites } from './layout-writes.js';
import type { MovingKey } from './survey.js';

/** Keys read from the old layout, by what they are. */
export interface CopiedKeys {
  /** Idempotency keys, placed by the placement hash they store. */
  seen: number;
  /** Idempotency keys from before the hash was stored (they hold a timestamp): copied into every partition. */
  legacySeen: number;
  /** Per-user analytics state (a:sub:<user>), into its user's partition. */
  perUser: number;
  /** Active-user indexes (sorted sets of user ids), split by member. */
  userScores: number;
  /** Analytics hashes of counts and sums, summed into the new partition 0. */
  summable: number;
  /** The queue's counters and intake hashes, summed into the new partition 0. */
  queueHashes: number;
}

export interface CopyResult {
  copied: CopiedKeys;
  /** Keys written into each new partition, in partition order. */
  written: number[];
}

/**
 * Copies the moving keys of the old layout into the new one, whose partitions' keys are `target`, and gives
 * each new partition the `carried` state: reads each old partition's keys with their remaining TTL in one
 * pipeline, then writes everything (layout-writes.ts says where each kind goes). Empty hashes and sets
 * (ioredis-mock keeps them) are skipped.
 */
export async function copyLayout(
  redis: RedisClient,
  moving: readonly MovingKey[],
  target: readonly QueueKeys[],
  carried: CarriedState,
): Promise<CopyResult> {
  const copied: CopiedKeys = { seen: 0, legacySeen: 0, perUser: 0, userScores: 0, summable: 0, queueHashes: 0 };
  const layout = new LayoutWrites(target);
  layout.carry(carried);
  // Old partitions in order, so sums add up in the order readMetrics added them.
  const byPartition = [...groupBy(moving, (entry) => entry.partition)].sort(([a], [b]) => a - b);
  for (const [, entries] of byPartition) {
    const replies = await inPipelines(redis, entries, {
      keyOf: (entry) => entry.key,
      perItem: 2,
      add: (pipeline, { key, kind }) => {
        if (kind.kind === 'seen') pipeline.get(key);
        else if (kind.kind === 'user-scores') pipeline.zrange(key, 0, -1, 'WITHSCORES');
        else pipeline.hgetall(key);
        pipeline.pttl(key);
      },
    });
    entries.forEach(({ kind, suffix }, i) => {
      const [value, pttl] = replies[i] ?? [];
      const ttlMs = Number(pttl);
      // Expired since the survey, or an empty hash or set.
      if (ttlMs === -2 || value === null || (typeof value === 'object' && Object.keys(value).length === 0)) return;
      if (kind.kind === 'seen') {
        copied[layout.seen(suffix, String(value), ttlMs) === 'placed' ? 'seen' : 'legacySeen'] += 1;
      } else if (kind.kind === 'per-user') {
        copied.perUser += 1;
        layout.perUser(suffix, kind.user, value as Record<string, string>, ttlMs);
      } else if (kind.kind === 'user-scores') {
        copied.userScores += 1;
        layout.userScores(suffix, value as string[], ttlMs);
      } else {
        copied[kind.kind === 'queue hash' ? 'queueHashes' : 'summable'] += 1;
        layout.summed(suffix, value as Record<string, string>, ttlMs);
      }
    });
  }
  const { writes, written } = layout.finish();
  await applyWrites(redis, writes);
  return { copied, written };
}
