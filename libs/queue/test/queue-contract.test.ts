import { describe, expect, it } from '@jest/globals';
import { BackpressureError } from '../index.js';
import { dataFieldSum, withContractBackends } from '../../../test/support/backends.js';
import { waitUntil } from '../../../tools/wait.js';
import { inOrderKey, queueHarness } from './queue-harness.js';

const body = (id: string) => JSON.stringify({ event_id: id, event_type: 'user_signup' });

withContractBackends('queue contract', (backend) => {
  describe('enqueue', () => {
    it('accepts new ids and reports repeats within the TTL as duplicates, also inside one batch', async () => {
      const { queue } = queueHarness(backend.redis);
      expect(await queue.enqueue([{ id: 'a', body: body('a') }])).toEqual(['accepted']);
      const verdicts = await queue.enqueue([
        { id: 'a', body: body('a') },
        { id: 'b', body: body('b') },
        { id: 'b', body: body('b') },
      ]);
      expect(verdicts).toEqual(['duplicate', 'accepted', 'duplicate']);
      const stats = await queue.stats();
      expect(stats.ready).toBe(2);
      expect(stats.counters.accepted).toBe(2);
      expect(stats.counters.duplicates).toBe(2);
    });

    it('forgets an id once its own idempotency key expires, but never while the event is still queued', async () => {
      const { queue } = queueHarness(backend.redis, { idempotencyTtlMs: 150 });
      const item = (id: string) => ({ id, body: body(id), placementKey: inOrderKey });
      await queue.enqueue([item('finished'), item('waiting')]);
      const claims = await queue.claim('c1', 1, 10_000);
      expect(claims.map((c) => c.id)).toEqual(['finished']);
      await queue.ack('c1', [{ claim: claims[0]!, effects: [] }]);
      // Redis expires the idempotency keys on its own clock: wait until both are gone (no fixed sleep),
      // then the finished id is new again while the still-queued one stays a duplicate without its key.
      const { keys } = queue.partitionFor(inOrderKey);
      await waitUntil(
        async () => (await backend.redis.exists(keys.seen('finished'), keys.seen('waiting'))) === 0,
        10_000,
        async () => ({
          finished: await backend.redis.pttl(keys.seen('finished')),
          waiting: await backend.redis.pttl(keys.seen('waiting')),
        }),
      );
      expect(await queue.enqueue([item('finished')])).toEqual(['accepted']);
      expect(await queue.enqueue([item('waiting')])).toEqual(['duplicate']);
    });

    it('refuses the whole batch with backpressure when the ready backlog is at the maximum', async () => {
      const { queue } = queueHarness(backend.redis);
      // The maximum is the whole queue's: each partition takes its share of it, here 2 in one partition.
      const maxReadyDepth = 2 * queue.partitions.length;
      const item = (id: string) => ({ id, body: body(id), placementKey: inOrderKey });
      await queue.enqueue([item('x1'), item('x2')], { maxReadyDepth });
      const attempt = queue.enqueue([item('x3')], { maxReadyDepth });
      await expect(attempt).rejects.toBeInstanceOf(BackpressureError);
      await expect(attempt).rejects.toMatchObject({ depth: 2 });
      expect((await queue.stats()).ready).toBe(2);
      expect(await queue.enqueue([item('x3')])).toEqual(['accepted']);
    });
  });

  describe('stats', () => {
    it('reads the enqueue time of the next event to be claimed only when asked, null when none is ready', async () => {
      const h = queueHarness(backend.redis);
      expect(await h.queue.stats({ oldestReady: true })).toMatchObject({ ready: 0, oldestReadyAt: null });
      await h.enqueueInOrder('first');
      const firstAt = (await h.redis.hget(h.queue.partitionFor(inOrderKey).keys.event('first'), 'enqueued_at')) ?? '';
      h.advance(1000);
      await h.enqueueInOrder('second');
      expect(await h.queue.stats({ oldestReady: true })).toMatchObject({ ready: 2, oldestReadyAt: Number(firstAt) });
      expect(await h.queue.stats()).not.toHaveProperty('oldestReadyAt');
      await h.queue.claim('c1', 1, 10_000);
      expect((await h.queue.stats({ oldestReady: true })).oldestReadyAt).toBe(Number(firstAt) + 1000);
    });
  });

  describe('claim', () => {
    it('hands out at most max events, oldest first within a partition, with the stored body and attempt 1', async () => {
      const h = queueHarness(backend.redis);
      await h.enqueueInOrder('e1', 'e2', 'e3');
      const first = await h.queue.claim('c1', 2, 10_000);
      expect(first.map((c) => [c.id, c.attempt])).toEqual([
        ['e1', 1],
        ['e2', 1],
      ]);
      expect(JSON.parse(first[0]!.body)).toEqual({ event_id: 'e1' });
      expect(first[0]!.token).toMatch(/^\d+$/);
      expect((await h.queue.claim('c1', 5, 10_000)).map((c) => c.id)).toEqual(['e3']);
      expect(await h.queue.claim('c1', 5, 10_000)).toEqual([]);
      expect(await h.queue.stats()).toMatchObject({ ready: 0, inFlight: 3 });
    });

    it('never gives the same event to two consumers claiming at the same time', async () => {
      const h = queueHarness(backend.redis);
      const ids = Array.from({ length: 200 }, (_, i) => `p${i}`);
      await h.enqueueIds(...ids);
      const rounds = await Promise.all(Array.from({ length: 8 }, (_, i) => h.queue.claim(`c${i % 2}`, 30, 10_000)));
      const claimed = rounds.flat().map((c) => c.id);
      expect(claimed).toHaveLength(200);
      expect(new Set(claimed).size).toBe(200);
    });
  });

  describe('ack and leases', () => {
    it('applies effects once even when the event is delivered twice', async () => {
      const h = queueHarness(backend.redis);
      await h.enqueueIds('r1');
      const [first] = await h.queue.claim('a', 1, 1000);
      h.advance(1001);
      expect(await h.queue.recoverExpired()).toEqual({ requeued: 1, deadLettered: 0 });
      const [second] = await h.queue.claim('b', 1, 1000);
      expect(second).toMatchObject({ id: 'r1', attempt: 2 });
      const effects = [{ op: 'hincrby' as const, key: 'totals', field: 'processed', by: 1 }];
      expect(await h.queue.ack('b', [{ claim: second!, effects }])).toEqual(['acked']);
      expect(await h.queue.ack('a', [{ claim: first!, effects }])).toEqual(['lost']);
      expect(await h.queue.ack('b', [{ claim: second!, effects }])).toEqual(['lost']);
      expect(await dataFieldSum(h.queue, 'totals', 'processed')).toBe(1);
      expect(await h.queue.stats()).toMatchObject({ ready: 0, inFlight: 0, counters: { acked: 1, redelivered: 1 } });
    });

    it('loses nothing when a consumer claims and crashes: the events come back after the lease, counted once', async () => {
      const h = queueHarness(backend.redis);
      await h.enqueueIds('k1', 'k2', 'k3');
      await h.queue.claim('crashed', 3, 5000);
      expect(await h.queue.recoverExpired()).toEqual({ requeued: 0, deadLettered: 0 });
      h.advance(5001);
      expect(await h.queue.recoverExpired()).toEqual({ requeued: 3, deadLettered: 0 });
      const again = await h.queue.claim('survivor', 10, 5000);
      expect(again.map((c) => c.id).sort()).toEqual(['k1', 'k2', 'k3']);
      const effects = [{ op: 'hincrby' as const, key: 'totals', field: 'processed', by: 1 }];
      await h.queue.ack(
        'survivor',
        again.map((claim) => ({ claim, effects })),
      );
      expect(await dataFieldSum(h.queue, 'totals', 'processed')).toBe(3);
      expect(await h.queue.stats()).toMatchObject({ ready: 0, inFlight: 0, delayed: 0, dead: 0 });
    });

    it('refuses an ack from a consumer whose lease was taken over, and from a consumer that never held it', async () => {
      const h = queueHarness(backend.redis);
      await h.enqueueIds('s1');
      const [stale] = await h.queue.claim('zombie', 1, 1000);
      expect(await h.queue.ack('intruder', [{ claim: stale!, effects: [] }])).toEqual(['lost']);
      h.advance(2000);
      await h.queue.recoverExpired();
      const [fresh] = await h.queue.claim('healthy', 1, 1000);
      expect(fresh!.token).not.toBe(stale!.token);
      expect(await h.queue.ack('zombie', [{ claim: stale!, effects: [] }])).toEqual(['lost']);
      expect(await h.queue.ack('healthy', [{ claim: fresh!, effects: [] }])).toEqual(['acked']);
    });

    it('acks the fresh claim of an event whose stale claim is in the same batch, and reports only the stale one lost', async () => {
      const h = queueHarness(backend.redis);
      await h.enqueueIds('d1');
      const [stale] = await h.queue.claim('slow', 1, 1000);
      h.advance(2000);
      await h.queue.recoverExpired();
      // The same consumer, back from its stall, claims the event again into the batch it was filling.
      const [fresh] = await h.queue.claim('slow', 1, 1000);
      const effects = [{ op: 'hincrby' as const, key: 'totals', field: 'processed', by: 1 }];
      expect(
        await h.queue.ack('slow', [
          { claim: stale!, effects },
          { claim: fresh!, effects },
        ]),
      ).toEqual(['lost', 'acked']);
      expect(await dataFieldSum(h.queue, 'totals', 'processed')).toBe(1);
      expect(await h.queue.stats()).toMatchObject({ ready: 0, inFlight: 0 });
    });

    it('keeps a lease alive with extend so a long batch is not recovered under its consumer', async () => {
      const h = queueHarness(backend.redis);
      await h.enqueueIds('l1');
      const claims = await h.queue.claim('slow', 1, 1000);
      h.advance(800);
      expect(await h.queue.extend('slow', claims, 1000)).toEqual([true]);
      h.advance(800);
      expect(await h.queue.recoverExpired()).toEqual({ requeued: 0, deadLettered: 0 });
      expect(await h.queue.extend('other', claims, 1000)).toEqual([false]);
      expect(
        await h.queue.ack(
          'slow',
          claims.map((claim) => ({ claim, effects: [] })),
        ),
      ).toEqual(['acked']);
    });

    it('lets many consumers recover expired leases at once without requeueing an event twice', async () => {
      const h = queueHarness(backend.redis);
      await h.enqueueIds('m1', 'm2', 'm3', 'm4');
      await h.queue.claim('dead', 4, 100);
      h.advance(200);
      const results = await Promise.all([1, 2, 3].map(() => h.queue.recoverExpired()));
      expect(results.reduce((sum, r) => sum + r.requeued, 0)).toBe(4);
      expect((await h.queue.stats()).ready).toBe(4);
    });
  });

  it('keeps queues with different prefixes apart', async () => {
    const one = queueHarness(backend.redis);
    const two = queueHarness(backend.redis);
    await one.enqueueIds('same');
    expect(await two.queue.enqueue([{ id: 'same', body: body('same') }])).toEqual(['accepted']);
    expect((await one.queue.claim('c', 10, 1000)).map((c) => c.id)).toEqual(['same']);
    expect((await two.queue.stats()).ready).toBe(1);
    expect(one.queue.home.keys.ready).not.toBe(two.queue.home.keys.ready);
  });
});
