import type { RedisClient } from '../../libs/queue/index.js';

/** How long the lock outlives its last renewal: a rebuild that crashed frees it after this. */
export const rebuildLockTtlMs = 60_000;

/** Another rebuild holds the lock. */
export class RebuildRunningError extends Error {
  constructor(holder: string) {
    super(
      `Another rebuild is running (${holder}); two at once would each replace the other's generation. ` +
        `Wait for it, or, if it crashed, for its lock to expire (${rebuildLockTtlMs / 1000} s after its last renewal)`,
    );
    this.name = 'RebuildRunningError';
  }
}

/**
 * The rebuild lock (SET NX with a TTL, renewed while the rebuild runs). It only keeps a second rebuild from
 * starting: correctness does not rest on it, because a rebuild's writes and its switch apply only while its
 * generation is the one being built (backfill-1.lua, generation-2.lua).
 */
export async function acquireRebuildLock(
  redis: RedisClient,
  key: string,
  holder: string,
): Promise<{ release(): Promise<void> }> {
  if ((await redis.set(key, holder, 'PX', rebuildLockTtlMs, 'NX')) !== 'OK') {
    throw new RebuildRunningError((await redis.get(key)) ?? 'its lock just expired; try again');
  }
  const renewal = setInterval(
    () => void redis.pexpire(key, rebuildLockTtlMs).catch(() => undefined),
    rebuildLockTtlMs / 3,
  );
  return {
    async release() {
      clearInterval(renewal);
      if ((await redis.get(key)) === holder) await redis.del(key);
    },
  };
}
