import type { ChildProcess } from 'node:child_process';
import type { RedisServer } from './redis-server.js';

export interface RedisSentinel {
  readonly port: number;
  readonly url: string;
  /** Holds its sentinel.conf, which it rewrites with what it learns. */
  readonly dir: string;
  readonly process: ChildProcess;
  /** Kills the Sentinel (SIGKILL) and removes its dir. */
  stop(): Promise<void>;
}

export interface RedisSentinels {
  /** The name the Sentinels monitor the primary under, for DAY15_REDIS_SENTINEL_NAME. */
  readonly name: string;
  /** The servers as started; after a failover the replica is the primary (see currentPrimaryPort). */
  readonly primary: RedisServer;
  readonly replica: RedisServer;
  readonly sentinels: RedisSentinel[];
  /** Every Sentinel's address, for DAY15_REDIS_SENTINELS: '127.0.0.1:s1,127.0.0.1:s2,...'. */
  readonly sentinelAddresses: string;
  /** The primary's port as the first Sentinel that answers names it (SENTINEL get-master-addr-by-name). */
  currentPrimaryPort(): Promise<number>;
  /**
   * Starts again a server of the setup that was killed (its process, not stop()), on its port and data dir, as a
   * replica of the current primary (as the Sentinels name it); resolves once it is in sync.
   */
  restartServer(server: RedisServer): Promise<RedisServer>;
  /** Kills the Sentinels, then the servers (SIGKILL), and removes every dir. */
  stop(): Promise<void>;
}

export interface StartRedisSentinelsOptions {
  /** 'day15' by default. */
  name?: string;
  /** 3 by default; the quorum is their majority (2 of 3). */
  sentinels?: number;
}

/**
 * Starts a private primary, its replica (both with an append-only file fsynced on every write) and Sentinels
 * watching them (primary down after 1 s, failover timeout 5 s), all from PATH on free loopback ports with
 * temporary dirs. Resolves once the replica is in sync and every Sentinel knows the primary, the replica and
 * every other Sentinel.
 */
export function startRedisSentinels(options?: StartRedisSentinelsOptions): Promise<RedisSentinels>;
