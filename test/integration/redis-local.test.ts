import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { killAppProcesses, startAppProcess } from '../../tools/app-process.js';
import { infoFields, redisCommand } from '../../tools/redis-command.js';
import { startRedisCluster, type RedisCluster } from '../../tools/redis-cluster.js';
import { startRedisSentinels, type RedisSentinels } from '../../tools/redis-sentinel.js';
import { parseHostPorts } from '../../libs/config/index.js';

// Generous for a busy 2-core machine: each setup starts in 2-3 s on an idle one.
const startTimeoutMs = 90_000;

// Signal 0 only checks the process exists; a killed child that node has reaped no longer does.
function isRunning(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startRedisCluster: a local Redis Cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, startTimeoutMs);
  afterAll(() => cluster?.stop());

  it('starts healthy: cluster_state ok on every node, 3 primaries and 3 replicas in sync', async () => {
    const replication = [];
    for (const node of cluster.nodes) {
      expect(infoFields(await redisCommand(node.port, 'CLUSTER', 'INFO'))).toMatchObject({
        cluster_state: 'ok',
        cluster_slots_ok: '16384',
        cluster_known_nodes: '6',
      });
      replication.push(infoFields(await redisCommand(node.port, 'INFO', 'replication')));
    }
    expect(replication.filter((fields) => fields.role === 'master')).toHaveLength(3);
    const replicas = replication.filter((fields) => fields.role === 'slave');
    expect(replicas.map((fields) => fields.master_link_status)).toEqual(['up', 'up', 'up']);
    expect((await cluster.primaryPorts()).sort()).toEqual(replicas.map((fields) => Number(fields.master_port)).sort());
  });

  describe('through an ioredis Cluster built from its seeds', () => {
    let client: Cluster;
    beforeAll(async () => {
      client = new Cluster(parseHostPorts(cluster.seeds), { lazyConnect: true });
      await client.connect();
    });
    afterAll(() => client?.disconnect());

    it('writes and reads keys on all three shards', async () => {
      const keys = Array.from({ length: 30 }, (_, i) => `local-cluster-key-${i}`);
      for (const key of keys) await client.set(key, `value of ${key}`);
      expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys.map((key) => `value of ${key}`));
      const sizes = await Promise.all((await cluster.primaryPorts()).map((port) => redisCommand(port, 'DBSIZE')));
      expect(sizes.every((size) => Number(size) > 0)).toBe(true);
    });

    it('runs a script that touches an undeclared key of the same hash tag, not one on another shard', async () => {
      const touchBoth = "redis.call('SET', KEYS[1], 'a'); return redis.call('SET', ARGV[1], 'b')";
      expect(await client.eval(touchBoth, 1, '{local}declared', '{local}undeclared')).toBe('OK');
      expect(await client.get('{local}undeclared')).toBe('b');

      const ownerOf = async (key: string) => client.slots[Number(await client.call('CLUSTER', 'KEYSLOT', key))]![0];
      const candidates = Array.from({ length: 20 }, (_, i) => `elsewhere-${i}`);
      const owners = await Promise.all(candidates.map(ownerOf));
      const elsewhere = candidates[owners.findIndex((owner) => owner !== owners[0])]!;
      // Redis 7.0 words it "Script attempted to access a non local key in a cluster node".
      await expect(client.eval(touchBoth, 1, candidates[0]!, elsewhere)).rejects.toThrow(/non local key/);
    });
  });

  it('stop() kills every node and removes every data dir', async () => {
    const pids = cluster.nodes.map((node) => node.process.pid);
    const dirs = cluster.nodes.map((node) => node.dir);
    expect(pids.every(isRunning)).toBe(true);
    await cluster.stop();
    expect(pids.filter(isRunning)).toEqual([]);
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
  });
});

describe('startRedisSentinels: a local primary, its replica and 3 Sentinels', () => {
  let setup: RedisSentinels;
  beforeAll(async () => {
    setup = await startRedisSentinels();
  }, startTimeoutMs);
  afterAll(() => setup?.stop());

  it('serves writes and reads to an ioredis client that finds the primary through the Sentinels', async () => {
    expect(setup.sentinels).toHaveLength(3);
    expect(await setup.currentPrimaryPort()).toBe(setup.primary.port);
    const client = new Redis({
      sentinels: parseHostPorts(setup.sentinelAddresses),
      name: setup.name,
      lazyConnect: true,
    });
    try {
      await client.connect();
      await client.set('local-sentinel-key', 'stored');
      expect(await client.get('local-sentinel-key')).toBe('stored');
    } finally {
      client.disconnect();
    }
  });

  it('stop() kills the Sentinels and both servers and removes every dir', async () => {
    const all = [setup.primary, setup.replica, ...setup.sentinels];
    const pids = all.map((server) => server.process.pid);
    await setup.stop();
    expect(pids.filter(isRunning)).toEqual([]);
    expect(all.map((server) => server.dir).filter((dir) => existsSync(dir))).toEqual([]);
  });
});

describe('npm run redis:local', () => {
  afterAll(killAppProcesses);

  it(
    'prints the settings of its Sentinel setup, serves them, and stops everything on SIGTERM',
    async () => {
      const script = startAppProcess('scripts/redis-local/main.ts', {}, ['sentinel']);
      const [, sentinels, name] = await script.waitForLine(
        /DAY15_USE_MOCK_REDIS=false DAY15_REDIS_MODE=sentinel DAY15_REDIS_SENTINELS=(\S+) DAY15_REDIS_SENTINEL_NAME=(\S+)/,
        startTimeoutMs,
      );
      const client = new Redis({ sentinels: parseHostPorts(sentinels!), name: name!, lazyConnect: true });
      try {
        await client.connect();
        await client.set('local-script-key', 'stored');
        expect(await client.get('local-script-key')).toBe('stored');
      } finally {
        client.disconnect();
      }
      // The primary, its replica and 3 Sentinels (all redis-server). tsx may have a child of its own (its
      // esbuild service, on a first compile), which is not ours to count.
      const children = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(script.child.pid)], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter(([, command]) => command === 'redis-server');
      expect(children).toHaveLength(5);

      script.child.kill('SIGTERM');
      expect(await script.exited).toBe(0);
      expect(children.map(([pid]) => Number(pid)).filter(isRunning)).toEqual([]);
    },
    startTimeoutMs + 30_000,
  );
});
