import type { RedisServer } from './redis-server.js';

export interface RedisCluster {
  /** Every node, primaries and replicas, in the order they were started (roles change on failover). */
  readonly nodes: RedisServer[];
  /** Every node's address, for DAY15_REDIS_CLUSTER_NODES: '127.0.0.1:p1,127.0.0.1:p2,...'. */
  readonly seeds: string;
  /**
   * The ports of the current primaries (those serving slots and not marked failed), sorted, as the first
   * node that answers sees them: a failover shows here once the cluster has noticed it.
   */
  primaryPorts(): Promise<number[]>;
  /**
   * Starts again a node that was killed (its process, not stop()), on its port and data dir; resolves once it
   * has rejoined as a replica in sync (a killed primary comes back as the replica of the one promoted for it).
   */
  restartNode(port: number): Promise<void>;
  /** Kills every node (SIGKILL) and removes their data dirs. */
  stop(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /** 3 by default (the fewest Redis Cluster accepts). */
  primaries?: number;
  /** 1 by default. */
  replicasPerPrimary?: number;
}

/**
 * Starts a private Redis Cluster from PATH (redis-server, redis-cli) on free loopback ports, each node with a
 * temporary data dir, an append-only file fsynced on every write and a 1 s node timeout (fast failover).
 * Resolves once every node sees all 16384 slots covered and the expected roles, and every replica is in sync.
 */
export function startRedisCluster(options?: StartRedisClusterOptions): Promise<RedisCluster>;
