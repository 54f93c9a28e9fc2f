import { startRedisCluster } from '../../tools/redis-cluster.js';
import { startRedisServer, waitForPing } from '../../tools/redis-server.js';

// Real-Redis tests talk to a private redis-server: the one .ci/run started (REDIS_TEST_URL) or one started
// here on a free port, never the machine's shared 6379. The contract suites also run on a private local Redis
// Cluster (3 primaries, 3 replicas, about 2 s to start): REDIS_CLUSTER_TEST_NODES, or one started here. A
// missing redis-server fails the run, never skips.
export default async function globalSetup() {
  const given = process.env.REDIS_TEST_URL;
  if (given) await waitForPing(given);
  else {
    const server = await startRedisServer();
    process.env.REDIS_TEST_URL = server.url;
    globalThis.day15RedisServer = server;
  }
  if (!process.env.REDIS_CLUSTER_TEST_NODES) {
    const cluster = await startRedisCluster();
    process.env.REDIS_CLUSTER_TEST_NODES = cluster.seeds;
    globalThis.day15RedisCluster = cluster;
  }
}
