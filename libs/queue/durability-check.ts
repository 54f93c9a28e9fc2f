import type { RedisClient } from './redis-client.js';

/**
 * What Redis's own settings do to the 202 promise, read with CONFIG GET where the server allows it.
 * Returns warnings to log at start-up; an empty list means the settings keep the promise.
 */
export async function durabilityWarnings(redis: RedisClient): Promise<string[]> {
  let settings: Record<string, string>;
  try {
    const pairs = (await redis.config('GET', 'appendonly')) as string[];
    const more = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const fsync = (await redis.config('GET', 'appendfsync')) as string[];
    settings = Object.fromEntries([pairs, more, fsync].map(([name, value]) => [String(name), String(value)]));
  } catch {
    return [
      'Cannot read the Redis configuration (CONFIG GET refused); make sure Redis persists writes (appendonly yes) and never evicts (maxmemory-policy noeviction)',
    ];
  }
  const warnings: string[] = [];
  if (settings.appendonly !== 'yes') {
    warnings.push(
      'Redis has appendonly no: a Redis restart loses queued events that were answered 202 (set appendonly yes, appendfsync always)',
    );
  } else if (settings.appendfsync !== 'always') {
    warnings.push(
      `Redis has appendfsync ${settings.appendfsync}: a Redis host crash can lose about the last second of 202'd events (appendfsync always closes the gap)`,
    );
  }
  if (settings['maxmemory-policy'] !== 'noeviction') {
    warnings.push(
      `Redis has maxmemory-policy ${settings['maxmemory-policy']}: at its memory limit it may evict queued events silently (set noeviction, so writes fail and the receiver answers 503)`,
    );
  }
  return warnings;
}
