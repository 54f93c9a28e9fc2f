import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';

// The two backends every contract suite runs against: the in-process mock and a private real Redis.
export interface Backend {
  name: 'ioredis-mock' | 'real Redis';
  connect(): Promise<Redis>;
}

export const backends: Backend[] = [
  { name: 'ioredis-mock', connect: async () => new RedisMock() },
  {
    name: 'real Redis',
    connect: async () => {
      const url = process.env.REDIS_TEST_URL;
      if (!url) throw new Error('REDIS_TEST_URL is not set: the jest global setup starts a private redis-server');
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      return client;
    },
  },
];

// A key prefix no other test uses, so tests sharing one Redis never see each other's keys.
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Polls until the condition holds (errors count as "not yet"); fails with the last error after the timeout.
export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(25);
  }
  throw new Error(`Condition not met within ${timeoutMs} ms`, { cause: lastError });
}
