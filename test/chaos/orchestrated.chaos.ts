import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { killAppProcesses } from '../support/app-process.js';
import { sleep, uniquePrefix, waitUntil } from '../support/backends.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startOrchestrator } from '../e2e/orchestrator-harness.js';
import { account, drainAndAccount, printAccounting } from './accounting.js';
import { startSending } from './load-sender.js';

const aof = ['--appendonly', 'yes', '--appendfsync', 'always'];

describe('chaos: the orchestrated pipeline (npm run orchestrate, Redis mode)', () => {
  const servers: RedisServer[] = [];
  afterEach(async () => {
    killAppProcesses();
    for (const server of servers.splice(0)) await server.stop();
  });

  async function orchestrated(server: RedisServer, prefix: string) {
    return startOrchestrator({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: server.url, DAY15_KEY_PREFIX: prefix, DAY15_LEASE_SECONDS: '2' });
  }

  it('5. Redis unreachable for 10 s: 503 + Retry-After within 1 s, unhealthy, then everything resumes by itself without restarts', async () => {
    const server = await startRedisServer({ args: aof });
    servers.push(server);
    const prefix = uniquePrefix('chaos5');
    const { url, log } = await orchestrated(server, prefix);
    const sender = startSending(url);
    await waitUntil(async () => sender.accepted.size > 100, 20_000);

    await server.stop({ keepData: true });
    const started = Date.now();
    const refused = await fetch(`${url}/webhook/events`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ event_id: 'evt_during_outage', event_type: 'user_signup', timestamp: new Date().toISOString() }),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${url}/health`)).status).toBe(503);
    await sleep(10_000);
    const restarted = await startRedisServer({ port: server.port, dir: server.dir, args: aof });
    servers.unshift(restarted);

    const before = sender.accepted.size;
    await waitUntil(async () => sender.accepted.size > before + 100, 30_000);
    const result = await drainAndAccount(restarted.url, prefix, sender, 'Redis unreachable 10 s');
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 0, processed: result.accepted });
    expect(log()).not.toMatch(/exited unexpectedly/);
  });

  it('11. SIGTERM of the orchestrator under load drains gracefully: no event is left in flight without a lease owner', async () => {
    const server = await startRedisServer({ args: aof });
    servers.push(server);
    const prefix = uniquePrefix('chaos11');
    const { orchestrator, url } = await orchestrated(server, prefix);
    const sender = startSending(url);
    await waitUntil(async () => sender.accepted.size > 300, 20_000);
    orchestrator.child.kill('SIGTERM');
    expect(await orchestrator.exited).toBe(0);
    await sender.stop();
    const redis = new Redis(server.url);
    try {
      const result = await account(redis, prefix, sender.sent(), [...sender.accepted]);
      printAccounting('SIGTERM orchestrator under load', result);
      expect(result).toMatchObject({ lost: 0, doubleCounted: 0, inFlight: 0, delayed: 0, dead: 0 });
    } finally {
      redis.disconnect();
    }
  });
});
