import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { readMetrics } from '../../../libs/analytics/index.js';
import type { PartitionedQueue } from '../../../libs/queue/index.js';
import { testQueue, uniquePrefix, withRealRedis } from '../../../test/support/backends.js';
import { killAppProcesses, startAppProcess, type AppProcess } from '../../../tools/app-process.js';
import { freePort } from '../../../tools/free-port.js';
import { startRedisProxy } from '../../../tools/redis-proxy.js';
import { waitUntil } from '../../../tools/wait.js';

const entry = 'apps/consumer/main.ts';

// A mixed workload with aggregates that are easy to state exactly.
function workload(count: number) {
  const receivedAt = new Date().toISOString();
  const events = Array.from({ length: count }, (_, i) => {
    const common = {
      event_id: `evt_k_${i}`,
      timestamp: '2026-11-26T10:00:00Z',
      received_at: receivedAt,
      user_id: `u${i}`,
    };
    if (i % 3 === 0) return { ...common, event_type: 'user_signup', metadata: { source: i % 2 ? 'ads' : 'organic' } };
    if (i % 3 === 1) return { ...common, event_type: 'usage_tracked', metadata: { feature: 'api_calls', quantity: 2 } };
    return { ...common, event_type: 'subscription_created', metadata: { plan: 'basic', amount: 10 } };
  });
  const signups = events.filter((e) => e.event_type === 'user_signup');
  return {
    events,
    expected: {
      signups: signups.length,
      ads: signups.filter((e) => e.metadata.source === 'ads').length,
      quantity: 2 * events.filter((e) => e.event_type === 'usage_tracked').length,
      subscriptions: events.filter((e) => e.event_type === 'subscription_created').length,
    },
  };
}

// Real processes: each `node --import tsx` start takes seconds on a busy 2-core machine, so the limits are
// generous; every wait ends as soon as its condition holds.
const processTestTimeoutMs = { kills: 300_000, start: 90_000 };

// The ack script as the queue sends it (EVALSHA or EVAL, five keys: its in-flight set, then its counters; fail
// and recover also take five keys starting with the in-flight set, but not the counters next).
const isAckOf = (queue: PartitionedQueue) => (args: readonly string[]) =>
  /^eval(sha)?$/i.test(args[0] ?? '') &&
  args[2] === '5' &&
  args[3] === queue.home.keys.inFlight &&
  args[4] === queue.home.keys.counters;

// Whether the consumer process with this pid holds a lease right now (its id is `<host>-<pid>-<random>`).
async function holdsLeases(redis: Redis, queue: PartitionedQueue, pid: number): Promise<boolean> {
  const ids = await redis.zrange(queue.home.keys.inFlight, 0, -1);
  const owners = await Promise.all(ids.map((id) => redis.hget(queue.home.keys.event(id), 'owner')));
  return owners.some((owner) => owner?.startsWith(`${hostname()}-${pid}-`));
}

withRealRedis('the consumer process (apps/consumer/main.ts) on a real redis-server', (backend) => {
  afterEach(killAppProcesses);

  it(
    'loses and double-counts nothing when consumers are killed with kill -9 mid-batch: a survivor finishes exactly',
    async () => {
      const prefix = uniquePrefix('kill');
      const queue = testQueue(backend.redis, { prefix, maxAttempts: 10 });
      const { events, expected } = workload(3000);
      await queue.enqueue(events.map((e) => ({ id: e.event_id, body: JSON.stringify(e) })));
      const env = {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
        DAY15_KEY_PREFIX: prefix,
        DAY15_BATCH_SIZE: '100',
        DAY15_LEASE_SECONDS: '1',
        DAY15_MAX_RETRIES: '10',
      };

      for (let round = 0; round < 3; round += 1) {
        // The victim talks to Redis through a proxy that lets its first ack through and holds back the second
        // and everything after: the victim has then acked a batch and claimed the next, which it can no longer
        // finish. So the kill lands mid-batch by construction, however fast or slow this machine runs it.
        const before = (await queue.stats()).counters.acked;
        const proxy = await startRedisProxy(process.env.REDIS_TEST_URL ?? '');
        proxy.holdFrom(isAckOf(queue), 1);
        const victim = startAppProcess(entry, { ...env, DAY15_REDIS_URL: proxy.url });
        const pid = victim.child.pid!;
        try {
          await waitUntil(
            async () => {
              const stats = await queue.stats();
              return proxy.holding && stats.counters.acked > before && stats.inFlight > 0;
            },
            60_000,
            async () => ({
              round,
              victim: pid,
              holding: proxy.holding,
              stats: await queue.stats(),
              output: victim.lines.slice(-3),
            }),
          );
          expect(await holdsLeases(backend.redis, queue, pid)).toBe(true);
          victim.child.kill('SIGKILL');
          expect(await victim.exited).toBe('SIGKILL');
        } finally {
          await proxy.close();
        }
      }
      const stuck = await queue.stats();
      expect(stuck.inFlight + stuck.counters.redelivered).toBeGreaterThan(0);

      const survivor = startAppProcess(entry, env);
      await waitUntil(
        async () => (await queue.stats()).counters.acked === events.length,
        120_000,
        async () => queue.stats(),
      );
      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);

      const stats = await queue.stats();
      expect(stats).toMatchObject({ ready: 0, inFlight: 0, delayed: 0, dead: 0 });
      expect(stats.counters.redelivered).toBeGreaterThan(0);
      const m = await readMetrics(queue);
      expect(m.totals.processed).toBe(events.length);
      expect(m.signups.total).toBe(expected.signups);
      expect(m.signups.by_source.ads).toBe(expected.ads);
      expect(m.usage.by_feature.api_calls?.quantity).toBe(expected.quantity);
      expect(m.subscriptions).toMatchObject({ active: expected.subscriptions, mrr: 10 * expected.subscriptions });
    },
    processTestTimeoutMs.kills,
  );

  it(
    'starts with the default settings, logs them, and stops cleanly on Ctrl+C (SIGINT) with exit 0',
    async () => {
      const consumer = startAppProcess(entry, {});
      await consumer.waitForLine(/INFO - consumer - Consumer started .*batch_size=10 batch_timeout_ms=5000/);
      await consumer.waitForLine(/Consumer settings/);
      consumer.child.kill('SIGINT');
      expect(await consumer.exited).toBe(0);
      expect(consumer.lines.join('\n')).toMatch(/PROCESSING STATISTICS[\s\S]*Stopped/);
    },
    processTestTimeoutMs.start,
  );
});

describe('the consumer process (apps/consumer/main.ts) without Redis', () => {
  afterEach(killAppProcesses);

  it(
    'waits while Redis is unreachable (no claims yet, probes alive but not ready), warns with the address and hint, and stops cleanly with exit 0',
    async () => {
      // Port 1: nothing listens there, and unlike a free port nobody can take it meanwhile. The probe port comes
      // from freePort, so a port taken in between is retried with another.
      const startWithProbes = async (attempt = 1): Promise<{ consumer: AppProcess; probePort: number }> => {
        const probePort = await freePort();
        const consumer = startAppProcess(entry, {
          DAY15_USE_MOCK_REDIS: 'false',
          DAY15_REDIS_URL: 'redis://127.0.0.1:1',
          DAY15_CONSUMER_HEALTH_PORT: String(probePort),
        });
        const outcome = await Promise.race([
          consumer.waitForLine(/Consumer probes on port/).then(() => 'listening'),
          consumer.exited.then(() => 'exited'),
        ]);
        if (outcome === 'listening') return { consumer, probePort };
        if (attempt === 3 || !/EADDRINUSE/.test(consumer.lines.join('\n'))) throw new Error(consumer.lines.join('\n'));
        return startWithProbes(attempt + 1);
      };
      const { consumer, probePort } = await startWithProbes();
      await consumer.waitForLine(/INFO - consumer - Consumer settings/);
      // Probes: alive, but not ready while its loop cannot reach Redis.
      expect((await fetch(`http://127.0.0.1:${probePort}/livez`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${probePort}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not_ready', reason: 'redis_unreachable' });
      await consumer.waitForLine(
        /WARN - consumer - Redis at redis:\/\/127\.0\.0\.1:1 is unreachable.*waiting for it\. Hint: start Redis/,
        30_000,
      );
      expect(consumer.child.exitCode).toBeNull();
      consumer.child.kill('SIGTERM');
      expect(await consumer.exited).toBe(0);
      expect(consumer.lines.join('\n')).not.toMatch(/Start-up failed|ERROR|Consumer started/);
    },
    processTestTimeoutMs.start,
  );
});
