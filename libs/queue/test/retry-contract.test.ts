import { expect, it } from '@jest/globals';
import { dataFieldSum, withContractBackends } from '../../../test/support/backends.js';
import { queueHarness, type QueueHarness } from './queue-harness.js';

async function failOnce(h: QueueHarness, consumer: string, error: string) {
  const claims = await h.queue.claim(consumer, 10, 10_000);
  const verdicts = await h.queue.fail(
    consumer,
    claims.map((claim) => ({ claim, error })),
  );
  return { claims, verdicts };
}

withContractBackends('retries and dead letters', (backend) => {
  it('holds a failed event back for its backoff, then hands it out again before newer ready events', async () => {
    const h = queueHarness(backend.redis, { retryDelayMs: 1000 });
    await h.enqueueIds('f1');
    expect(await h.queue.hasWork()).toBe(true);
    const first = await failOnce(h, 'c', 'boom');
    expect(first.verdicts).toEqual(['retry']);
    expect(await h.queue.hasWork()).toBe(false);
    await h.enqueueIds('n1');
    // random() = 0.5 -> equal jitter gives 750 ms for attempt 1 with a 1000 ms base.
    h.advance(700);
    expect((await h.queue.claim('c', 1, 10_000)).map((c) => c.id)).toEqual(['n1']);
    h.advance(100);
    const retried = await h.queue.claim('c', 5, 10_000);
    expect(retried.map((c) => [c.id, c.attempt])).toEqual([['f1', 2]]);
  });

  it('doubles the backoff with every attempt', async () => {
    const h = queueHarness(backend.redis, { retryDelayMs: 1000, maxAttempts: 5 });
    await h.enqueueIds('b1');
    await failOnce(h, 'c', 'first');
    h.advance(750);
    await failOnce(h, 'c', 'second');
    h.advance(1499);
    expect(await h.queue.claim('c', 1, 10_000)).toEqual([]);
    h.advance(1);
    expect((await h.queue.claim('c', 1, 10_000)).map((c) => c.attempt)).toEqual([3]);
  });

  it('dead-letters an event after exactly max attempts, keeping the error, attempts and times', async () => {
    const h = queueHarness(backend.redis, { maxAttempts: 3, retryDelayMs: 10 });
    await h.enqueueIds('poison', 'fine');
    const verdicts: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const claims = await h.queue.claim('c', 10, 10_000);
      const poison = claims.filter((c) => c.id === 'poison');
      const fine = claims.filter((c) => c.id === 'fine');
      await h.queue.ack(
        'c',
        fine.map((claim) => ({ claim, effects: [] })),
      );
      verdicts.push(
        ...(await h.queue.fail(
          'c',
          poison.map((claim) => ({ claim, error: `bad amount (try ${attempt})` })),
        )),
      );
      h.advance(1000);
    }
    expect(verdicts).toEqual(['retry', 'retry', 'dead']);
    const stats = await h.queue.stats();
    expect(stats).toMatchObject({ ready: 0, inFlight: 0, delayed: 0, dead: 1 });
    expect(stats.counters).toMatchObject({ acked: 1, failed_attempts: 3, dead_lettered: 1 });
    const [letter] = await h.queue.deadLetters.list();
    expect(letter).toMatchObject({
      id: 'poison',
      error: 'bad amount (try 3)',
      attempts: 3,
      event: { event_id: 'poison' },
    });
    expect(letter!.firstFailedAt).toBe(new Date(1_700_000_000_000).toISOString());
    expect(Date.parse(letter!.deadAt!)).toBeGreaterThan(Date.parse(letter!.firstFailedAt!));
  });

  it('dead-letters an event whose lease expires on its last attempt (it keeps crashing consumers)', async () => {
    const h = queueHarness(backend.redis, { maxAttempts: 2 });
    await h.enqueueIds('crasher');
    await h.queue.claim('c1', 1, 100);
    h.advance(200);
    expect(await h.queue.recoverExpired()).toEqual({ requeued: 1, deadLettered: 0 });
    await h.queue.claim('c2', 1, 100);
    h.advance(200);
    expect(await h.queue.recoverExpired()).toEqual({ requeued: 0, deadLettered: 1 });
    const [letter] = await h.queue.deadLetters.list();
    expect(letter?.error).toBe('lease expired on attempt 2 (consumer crashed or stalled)');
    expect(await backend.redis.hget(h.queue.partitionFor('crasher').keys.event('crasher'), 'attempts')).toBe('2');
  });

  it('dead-letters at once an event failed with retry: false, whatever its attempts', async () => {
    const h = queueHarness(backend.redis, { maxAttempts: 5 });
    await h.enqueueIds('garbage');
    const [claim] = await h.queue.claim('c', 1, 10_000);
    expect(await h.queue.fail('c', [{ claim: claim!, error: 'unparseable body', retry: false }])).toEqual(['dead']);
    expect((await h.queue.deadLetters.list()).map((d) => [d.id, d.error, d.attempts])).toEqual([
      ['garbage', 'unparseable body', 1],
    ]);
  });

  it('writes nothing when a claim finds no work, so idle polling is free', async () => {
    const h = queueHarness(backend.redis);
    expect(await h.queue.hasWork()).toBe(false);
    expect(await h.queue.claim('idle', 10, 1000)).toEqual([]);
    for (const partition of h.queue.partitions) expect(await backend.redis.exists(partition.keys.fence)).toBe(0);
  });

  it('refuses a fail from a consumer that lost the lease, changing nothing', async () => {
    const h = queueHarness(backend.redis);
    await h.enqueueIds('z1');
    const [claim] = await h.queue.claim('zombie', 1, 100);
    h.advance(200);
    await h.queue.recoverExpired();
    expect(await h.queue.fail('zombie', [{ claim: claim!, error: 'late' }])).toEqual(['lost']);
    expect(await h.queue.stats()).toMatchObject({ ready: 1, delayed: 0, dead: 0 });
  });

  it('replays dead letters once with a fresh attempt budget, and their effects land exactly once', async () => {
    const h = queueHarness(backend.redis, { maxAttempts: 1 });
    await h.enqueueIds('d1', 'd2', 'd3');
    await failOnce(h, 'c', 'handler bug');
    expect(await h.queue.deadLetters.count()).toBe(3);
    expect(await h.queue.deadLetters.replay(['d1', 'nope'])).toBe(1);
    expect(await h.queue.deadLetters.replay(['d1'])).toBe(0);
    expect(await h.queue.deadLetters.replay('all')).toBe(2);
    const claims = await h.queue.claim('c', 10, 10_000);
    expect(claims.map((c) => [c.id, c.attempt]).sort()).toEqual([
      ['d1', 1],
      ['d2', 1],
      ['d3', 1],
    ]);
    const effects = [{ op: 'hincrby' as const, key: 'totals', field: 'processed', by: 1 }];
    await h.queue.ack(
      'c',
      claims.map((claim) => ({ claim, effects })),
    );
    await h.queue.ack(
      'c',
      claims.map((claim) => ({ claim, effects })),
    );
    expect(await dataFieldSum(h.queue, 'totals', 'processed')).toBe(3);
    expect(await h.queue.stats()).toMatchObject({ ready: 0, dead: 0, counters: { replayed: 3 } });
  });

  it('purges dead letters for good while their ids stay duplicates within the TTL', async () => {
    const h = queueHarness(backend.redis, { maxAttempts: 1 });
    await h.enqueueIds('g1', 'g2');
    await failOnce(h, 'c', 'bad');
    expect(await h.queue.deadLetters.purge(['g1'])).toBe(1);
    expect((await h.queue.deadLetters.list()).map((d) => d.id)).toEqual(['g2']);
    expect(await h.queue.deadLetters.purge('all')).toBe(1);
    expect(await h.queue.stats()).toMatchObject({ dead: 0, counters: { purged: 2 } });
    expect(await backend.redis.exists(h.queue.partitionFor('g1').keys.event('g1'))).toBe(0);
    expect(await h.queue.enqueue([{ id: 'g1', body: '{}' }])).toEqual(['duplicate']);
  });

  it('lists dead letters page by page, oldest first, and keeps a body that is not JSON as text', async () => {
    const h = queueHarness(backend.redis, { maxAttempts: 1 });
    await h.queue.enqueue([{ id: 'raw', body: 'not json {' }]);
    await failOnce(h, 'c', 'unparseable');
    h.advance(10);
    await h.enqueueIds('later');
    await failOnce(h, 'c', 'bad');
    expect((await h.queue.deadLetters.list({ offset: 0, limit: 1 })).map((d) => d.event)).toEqual(['not json {']);
    expect((await h.queue.deadLetters.list({ offset: 1, limit: 5 })).map((d) => d.id)).toEqual(['later']);
  });
});
