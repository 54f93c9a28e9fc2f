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

// Only for pacing (e.g. "one event every 200 ms") or for giving a broken implementation the chance to
// misbehave; never to wait for something to happen: use waitUntil for that.
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a waitUntil was waiting for: a fixed text, or a function giving the current state (e.g. queue stats). */
export type WaitDescription = string | (() => unknown);

// Polls until the condition holds (errors count as "not yet"), bounded by a timeout that is generous on
// purpose: a condition that holds returns at once, so only a broken test or product ever waits it out.
// On timeout the error says what was awaited, the state at that moment (when `describe` is a function)
// and the last error the condition threw.
export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000, describe?: WaitDescription): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastError: unknown;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    // Checked after the attempt, so a condition is always tried at least once, even after a long stall.
    if (Date.now() >= deadline) break;
    await sleep(25);
  }
  const parts = [`Condition not met within ${timeoutMs} ms (${attempts} checks)`];
  if (typeof describe === 'string') parts.push(`waiting for: ${describe}`);
  if (typeof describe === 'function') parts.push(`state at timeout: ${await stateOf(describe)}`);
  if (lastError !== undefined) parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  throw new Error(parts.join('; '), { cause: lastError });
}

async function stateOf(describe: () => unknown): Promise<string> {
  try {
    const state = await describe();
    return typeof state === 'string' ? state : JSON.stringify(state);
  } catch (error) {
    return `(could not be read: ${error instanceof Error ? error.message : String(error)})`;
  }
}
