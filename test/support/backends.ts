import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { parseHostPorts } from '../../libs/config/index.js';
import { PartitionedQueue, type PartitionedQueueOptions, type RedisClient } from '../../libs/queue/index.js';

/**
 * A backend the tests run against: the in-process mock, a private real Redis, or a private local Redis
 * Cluster (3 primaries, 3 replicas; started by the jest global setup).
 */
export interface Backend<C extends RedisClient = RedisClient> {
  name: 'ioredis-mock' | 'real Redis' | 'Redis Cluster';
  connect(): Promise<C>;
}

export const mockRedis: Backend<Redis> = { name: 'ioredis-mock', connect: async () => new RedisMock() };

export const realRedis: Backend<Redis> = {
  name: 'real Redis',
  connect: async () => {
    const url = process.env.REDIS_TEST_URL;
    if (!url) throw new Error('REDIS_TEST_URL is not set: the jest global setup starts a private redis-server');
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    return client;
  },
};

export const clusterRedis: Backend<Cluster> = {
  name: 'Redis Cluster',
  connect: async () => {
    const seeds = process.env.REDIS_CLUSTER_TEST_NODES;
    if (!seeds) throw new Error('REDIS_CLUSTER_TEST_NODES is not set: the jest global setup starts a private cluster');
    const client = new Cluster(parseHostPorts(seeds), { lazyConnect: true, redisOptions: { maxRetriesPerRequest: 1 } });
    await client.connect();
    return client;
  },
};

export const backends: Backend<Redis>[] = [mockRedis, realRedis];
/** The backends of the queue and analytics contract suites: the same code on one Redis and on a cluster. */
export const contractBackends: Backend[] = [mockRedis, realRedis, clusterRedis];

/** One backend, connected for the tests of a describe block. */
export interface ConnectedBackend<C extends RedisClient = RedisClient> {
  readonly name: Backend['name'];
  /** The connected client: read it inside hooks and tests (it connects in the block's first beforeAll). */
  readonly redis: C;
}

// Runs a describe body with `backend` connected before its tests and disconnected after them. Jest runs
// afterAll hooks in the order they were registered, so registering the disconnect after `body` runs it
// after the body's own afterAll hooks, which may still use the client.
function connectedBlock<C extends RedisClient>(
  backend: Backend<C>,
  body: (backend: ConnectedBackend<C>) => void,
): void {
  let client: C | undefined;
  beforeAll(async () => {
    client = await backend.connect();
  });
  body({
    name: backend.name,
    get redis(): C {
      if (!client)
        throw new Error(`${backend.name} is not connected: read .redis inside a hook or test, not in a describe body`);
      return client;
    },
  });
  afterAll(() => client?.disconnect());
}

/**
 * A describe block per backend ("<title> on ioredis-mock", "<title> on real Redis"), each with its client
 * connected for its tests: `withBackends('queue', (backend) => { it('...', () => use(backend.redis)) })`.
 */
export function withBackends(title: string, body: (backend: ConnectedBackend) => void): void {
  describe.each(backends)(`${title} on $name`, (backend) => connectedBlock(backend, body));
}

/** withBackends for the contract suites: the mock, a real Redis and a real Redis Cluster. */
export function withContractBackends(title: string, body: (backend: ConnectedBackend) => void): void {
  describe.each(contractBackends)(`${title} on $name`, (backend) => connectedBlock(backend, body));
}

/** A describe block with a client of the private real Redis (the jest global setup's) connected for its tests. */
export function withRealRedis(title: string, body: (backend: ConnectedBackend<Redis>) => void): void {
  describe(title, () => connectedBlock(realRedis, body));
}

/** A key prefix no other test uses, so tests sharing one Redis never see each other's keys. */
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}

/** The partitions the contract suites give a queue on the cluster backend (DAY15_PARTITIONS=6 there). */
export const clusterTestPartitions = 6;

/**
 * The pipeline's queue for a test on `redis`: its own key prefix unless one is given, settings that suit
 * tests (an idempotency TTL no test outlives, 3 attempts, 50 ms retry delay), and, on a Redis Cluster,
 * clusterTestPartitions partitions spread over its shards (one elsewhere); `overrides` change any of them.
 */
export function testQueue(
  redis: RedisClient,
  overrides: Partial<Omit<PartitionedQueueOptions, 'redis'>> = {},
): PartitionedQueue {
  return new PartitionedQueue({
    redis,
    prefix: uniquePrefix(),
    idempotencyTtlMs: 3_600_000,
    maxAttempts: 3,
    retryDelayMs: 50,
    partitions: redis instanceof Cluster ? clusterTestPartitions : 1,
    ...overrides,
  });
}

/** The sum of one field of a data hash (QueueKeys.data) over the queue's partitions. */
export async function dataFieldSum(queue: PartitionedQueue, name: string, field: string): Promise<number> {
  const hashes = await Promise.all(
    queue.partitions.map(
      async (partition) => (await partition.readData({ hashes: [partition.keys.data(name)] })).hashes[0],
    ),
  );
  return hashes.reduce((sum, hash) => sum + Number(hash?.[field] ?? 0), 0);
}
