import { startRedisCluster } from '../../tools/redis-cluster.js';
import { startRedisSentinels } from '../../tools/redis-sentinel.js';

/** A running local Redis setup: what it is, the settings that point the pipeline at it, and how to stop it. */
export interface LocalRedis {
  readonly description: string;
  readonly variables: Record<string, string>;
  stop(): Promise<void>;
}

export type LocalRedisKind = 'cluster' | 'sentinel';

export const localRedisKinds: readonly LocalRedisKind[] = ['cluster', 'sentinel'];

/** Starts a local Redis Cluster (3 primaries, 3 replicas) or a primary, its replica and 3 Sentinels. */
export async function startLocalRedis(kind: LocalRedisKind): Promise<LocalRedis> {
  if (kind === 'cluster') {
    const cluster = await startRedisCluster();
    const primaries = await cluster.primaryPorts();
    return {
      description: `Redis Cluster: primaries on ports ${primaries.join(', ')}, replicas on ${cluster.nodes
        .map((node) => node.port)
        .filter((port) => !primaries.includes(port))
        .join(', ')}`,
      variables: {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_MODE: 'cluster',
        DAY15_REDIS_CLUSTER_NODES: cluster.seeds,
      },
      stop: cluster.stop,
    };
  }
  const setup = await startRedisSentinels();
  return {
    description:
      `Redis primary on port ${setup.primary.port}, its replica on ${setup.replica.port}, Sentinels on ` +
      `${setup.sentinels.map((sentinel) => sentinel.port).join(', ')} watching it as '${setup.name}'`,
    variables: {
      DAY15_USE_MOCK_REDIS: 'false',
      DAY15_REDIS_MODE: 'sentinel',
      DAY15_REDIS_SENTINELS: setup.sentinelAddresses,
      DAY15_REDIS_SENTINEL_NAME: setup.name,
    },
    stop: setup.stop,
  };
}
