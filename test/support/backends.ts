import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from '@jest/globals';
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { ReliableQueue, type QueueOptions } from '../../libs/queue/index.js';

/** The two backends every contract suite runs against: the in-process mock and a private real Redis. */
export interface Backend {
  name: 'ioredis-mock' | 'real Redis';
  connect(): Promise<Redis>;
}

export const mockRedis: Backend = { name: 'ioredis-mock', connect: async () => new RedisMock() };

export const realRedis: Backend = {
  name: 'real Redis',
  connect: async () => {
    const url = process.env.REDIS_TEST_URL;
    if (!url) throw new Error('REDIS_TEST_URL is not set: the jest global setup starts a private redis-server');
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    return client;
  },
};

export const backends: Backend[] = [mockRedis, realRedis];

/** One backend, connected for the tests of a describe block. */
export interface ConnectedBackend {
  readonly name: Backend['name'];
  /** The connected client: read it inside hooks and tests (it connects in the block's first beforeAll). */
  readonly redis: Redis;
}

// Runs a describe body with `backend` connected before its tests and disconnected after them. Jest runs
// afterAll hooks in the order they were registered, so registering the disconnect after `body` runs it
// after the body's own afterAll hooks, which may still use the client.
function connectedBlock(backend: Backend, body: (backend: ConnectedBackend) => void): void {
  let client: Redis | undefined;
  beforeAll(async () => {
    client = await backend.connect();
  });
  body({
    name: backend.name,
    get redis(): Redis {
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

/** A describe block with a client of the private real Redis (the jest global setup's) connected for its tests. */
export function withRealRedis(title: string, body: (backend: ConnectedBackend) => void): void {
  describe(title, () => connectedBlock(realRedis, body));
}

/** A key prefix no other test uses, so tests sharing one Redis never see each other's keys. */
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}

/**
 * A ReliableQueue for a test on `redis`: its own key prefix unless one is given, and settings that suit
 * tests (an idempotency TTL no test outlives, 3 attempts, 50 ms retry delay); `overrides` change any of them.
 */
export function testQueue(redis: Redis, overrides: Partial<Omit<QueueOptions, 'redis'>> = {}): ReliableQueue {
  return new ReliableQueue({
    redis,
    prefix: uniquePrefix(),
    idempotencyTtlMs: 3_600_000,
    maxAttempts: 3,
    retryDelayMs: 50,
    ...overrides,
  });
}
