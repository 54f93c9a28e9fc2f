import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { durabilityWarnings } from '../../libs/queue/index.js';
import { killAppProcesses } from '../../tools/app-process.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { testQueue, uniquePrefix } from '../support/backends.js';
import { account, printAccounting } from './accounting.js';
import { pipelineEnv, startReceiver, startupTimeoutMs } from './pipeline-processes.js';

describe('chaos: Redis at its memory limit (real receiver, private redis-server)', () => {
  const servers: RedisServer[] = [];
  afterEach(async () => {
    killAppProcesses();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('7. with noeviction, full Redis makes writes fail with 503 and evicts nothing; the start-up check warns about unsafe settings', async () => {
    const server = await startRedisServer({ args: ['--maxmemory', '3mb', '--maxmemory-policy', 'noeviction'] });
    servers.push(server);
    const prefix = uniquePrefix('chaos7');
    const { receiver, url } = await startReceiver(pipelineEnv(server.url, prefix));
    await receiver.waitForLine(/WARN - receiver - Redis has appendonly no/, startupTimeoutMs);
    // The start-up check logs all its warnings before this line (one stdout stream, in order), so once it
    // is here, a maxmemory-policy warning would be here too.
    await receiver.waitForLine(/Signature verification is/, startupTimeoutMs);
    expect(receiver.lines.join('\n')).not.toMatch(/maxmemory-policy/);

    const accepted: string[] = [];
    let refused: { status: number; body: { error?: string }; retryAfter: string | null } | undefined;
    for (let i = 0; i < 5000 && !refused; i += 1) {
      const id = `evt_mem_${i}`;
      const res = await fetch(`${url}/webhook/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          event_id: id,
          event_type: 'usage_tracked',
          timestamp: new Date().toISOString(),
          metadata: { feature: 'api_calls', quantity: 1, note: 'x'.repeat(2000) },
        }),
      });
      const body = (await res.json()) as { error?: string };
      if (res.status === 202) accepted.push(id);
      else refused = { status: res.status, body, retryAfter: res.headers.get('retry-after') };
    }
    expect(refused).toMatchObject({ status: 503, body: { error: 'queue_unavailable' }, retryAfter: '1' });

    const redis = new Redis(server.url);
    try {
      const queue = testQueue(redis, { prefix });
      expect((await queue.stats()).ready).toBe(accepted.length);
      const result = await account(redis, prefix, accepted.length + 1, accepted);
      printAccounting('Redis full (noeviction)', result);
      expect(result.lost).toBe(0);
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      expect((await durabilityWarnings(redis)).join('\n')).toMatch(
        /maxmemory-policy allkeys-lru: at its memory limit it may evict queued events/,
      );
    } finally {
      redis.disconnect();
    }
  });
});
