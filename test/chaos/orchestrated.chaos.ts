import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { killAppProcesses } from '../../tools/app-process.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { sleep, within } from '../../tools/wait.js';
import { uniquePrefix } from '../support/backends.js';
import { account, drainAndAccount, printAccounting } from './accounting.js';
import { startSending, waitForAccepted } from './load-sender.js';
import { restartRedisServer, startOrchestrated, stopOrchestrator } from './pipeline-processes.js';

// Each wait below is bounded on its own (with an error saying what was missing); a scenario chains several,
// so it gets more time than the config's default before jest's generic timeout could pre-empt them.
jest.setTimeout(300_000);

const aof = ['--appendonly', 'yes', '--appendfsync', 'always'];

// The product claim is "503 within 1 s when Redis is down"; the receiver implements it with a 750 ms
// command timeout (libs/queue/redis-client.ts), so on its own clock a correct receiver answers in at most
// ~0.8 s. This test can only time the answer from outside (the receiver reports no server-side latency
// for 503s), and on a loaded 2-core CI machine that time also includes scheduling three busy processes
// (this one, the receiver, the load sender's requests) — up to a second or so that is not the receiver's.
// So the 1 s claim gets an explicit allowance for that overhead. The failure it guards against is still
// caught: a receiver that waits for Redis to come back answers only after the 10 s outage (or never).
const claimMs = 1000;
const loadedMachineAllowanceMs = 1500;

describe('chaos: the orchestrated pipeline (npm run orchestrate, Redis mode)', () => {
  const servers: RedisServer[] = [];
  afterEach(async () => {
    killAppProcesses();
    for (const server of servers.splice(0)) await server.stop();
  });

  async function orchestrated(server: RedisServer, prefix: string) {
    return startOrchestrated({
      DAY15_USE_MOCK_REDIS: 'false',
      DAY15_REDIS_URL: server.url,
      DAY15_KEY_PREFIX: prefix,
      DAY15_LEASE_SECONDS: '2',
    });
  }

  it('5. Redis unreachable for 10 s: 503 + Retry-After within 1 s, unhealthy, then everything resumes by itself without restarts', async () => {
    const server = await startRedisServer({ args: aof });
    servers.push(server);
    const prefix = uniquePrefix('chaos5');
    const { orchestrator, url, log } = await orchestrated(server, prefix);
    const sender = startSending(url);
    await waitForAccepted(sender, 100);

    await server.stop({ keepData: true });
    const started = Date.now();
    const refused = await within(
      fetch(`${url}/webhook/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          event_id: 'evt_during_outage',
          event_type: 'user_signup',
          timestamp: new Date().toISOString(),
        }),
      }),
      9000,
      'an answer to a webhook while Redis is down (it must come within the claimed 1 s)',
    );
    const elapsed = Date.now() - started;
    process.stdout.write(
      `[chaos] Redis down: 503 answered after ${elapsed} ms (claim ${claimMs} ms, allowance for a loaded machine ${loadedMachineAllowanceMs} ms)\n`,
    );
    expect(elapsed).toBeLessThan(claimMs + loadedMachineAllowanceMs);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${url}/health`)).status).toBe(503);
    // The outage itself: Redis stays unreachable for 10 s under load. Nothing asserted depends on its length.
    await sleep(10_000);
    const restarted = await restartRedisServer(server, aof);
    servers.unshift(restarted);

    const before = sender.accepted.size;
    await waitForAccepted(sender, before + 100);
    const result = await drainAndAccount(restarted.url, prefix, sender, 'Redis unreachable 10 s');
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 0, processed: result.accepted });
    // Read the merged log only once the orchestrator has stopped and closed it, so no line is still in flight.
    await stopOrchestrator(orchestrator);
    expect(log()).not.toMatch(/exited unexpectedly/);
  });

  it('11. SIGTERM of the orchestrator under load drains gracefully: no event is left in flight without a lease owner', async () => {
    const server = await startRedisServer({ args: aof });
    servers.push(server);
    const prefix = uniquePrefix('chaos11');
    const { orchestrator, url } = await orchestrated(server, prefix);
    const sender = startSending(url);
    await waitForAccepted(sender, 300);
    expect(await stopOrchestrator(orchestrator)).toBe(0);
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
