import { hostname } from 'node:os';
import { afterEach, expect, it } from '@jest/globals';
import type { EventStatus, PartitionedQueue } from '../../../libs/queue/index.js';
import { testQueue, uniquePrefix, withRealRedis } from '../../../test/support/backends.js';
import { killAppProcesses, startAppProcess } from '../../../tools/app-process.js';
import { startRedisProxy } from '../../../tools/redis-proxy.js';
import { waitUntil } from '../../../tools/wait.js';

const entry = 'apps/consumer/main.ts';

// The ack script as the queue sends it (EVALSHA or EVAL, five keys: its in-flight set, then its counters; fail
// and recover also take five keys starting with the in-flight set, but not the counters next).
const isAckOf = (queue: PartitionedQueue) => (args: readonly string[]) =>
  /^eval(sha)?$/i.test(args[0] ?? '') &&
  args[2] === '5' &&
  args[3] === queue.home.keys.inFlight &&
  args[4] === queue.home.keys.counters;

// A consumer process's id is `<host>-<pid>-<random>`.
const consumerOf = (pid: number | undefined) => expect.stringMatching(new RegExp(`^${hostname()}-${pid}-[0-9a-f]+$`));

function expectStatus<S extends EventStatus['status']>(
  status: EventStatus,
  is: S,
): Extract<EventStatus, { status: S }> {
  expect(status.status).toBe(is);
  return status as Extract<EventStatus, { status: S }>;
}

withRealRedis(
  'where is my event, when its consumer process dies (apps/consumer/main.ts, real redis-server)',
  (backend) => {
    afterEach(killAppProcesses);

    it('when the consumer holding it is killed with kill -9 mid-batch, then it is in_flight with that consumer, queued again after its lease expired and recovery took it back, then processed by a survivor', async () => {
      const prefix = uniquePrefix('where');
      const queue = testQueue(backend.redis, { prefix });
      const id = 'evt_where_1';
      const event = { event_id: id, event_type: 'user_signup', user_id: 'u1', timestamp: '2026-11-26T10:00:00Z' };
      await queue.enqueue([{ id, body: JSON.stringify({ ...event, received_at: new Date().toISOString() }) }]);
      const env = {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
        DAY15_KEY_PREFIX: prefix,
        DAY15_LEASE_SECONDS: '1',
      };

      // The victim reaches Redis through a proxy that holds back its ack and everything after: it has claimed
      // the event and can no longer finish it, so the kill lands mid-batch however fast this machine is.
      const proxy = await startRedisProxy(process.env.REDIS_TEST_URL ?? '');
      proxy.holdFrom(isAckOf(queue));
      const victim = startAppProcess(entry, { ...env, DAY15_REDIS_URL: proxy.url });
      let held: Extract<EventStatus, { status: 'in_flight' }>;
      try {
        await waitUntil(
          () => proxy.holding,
          60_000,
          () => victim.lines.slice(-3),
        );
        held = expectStatus(await queue.eventStatus(id), 'in_flight');
        expect(held).toMatchObject({ attempt: 1, consumer: consumerOf(victim.child.pid) });
        victim.child.kill('SIGKILL');
        expect(await victim.exited).toBe('SIGKILL');
      } finally {
        await proxy.close();
      }
      // Still in flight with the dead consumer until its lease expires and someone recovers it.
      expect(await queue.eventStatus(id)).toEqual(held);

      await waitUntil(() => Date.now() > Date.parse(held.lease_expires_at), 10_000);
      expect(await queue.recoverExpired()).toEqual({ requeued: 1, deadLettered: 0 });
      const requeued = expectStatus(await queue.eventStatus(id), 'queued');
      expect(requeued).toMatchObject({ attempts: 1, enqueued_at: held.enqueued_at });
      expect(Date.parse(requeued.since)).toBeGreaterThanOrEqual(Date.parse(held.lease_expires_at));

      const survivor = startAppProcess(entry, env);
      await waitUntil(
        async () => (await queue.eventStatus(id)).status === 'processed',
        60_000,
        () => queue.eventStatus(id),
      );
      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
      const processed = expectStatus(await queue.eventStatus(id), 'processed');
      expect(processed).toMatchObject({ consumer: consumerOf(survivor.child.pid), enqueued_at: held.enqueued_at });
      expect(Date.parse(processed.since)).toBeGreaterThan(Date.parse(requeued.since));
      expect(processed.latency_ms).toBe(Date.parse(processed.since) - Date.parse(held.enqueued_at));
    }, 180_000);
  },
);
