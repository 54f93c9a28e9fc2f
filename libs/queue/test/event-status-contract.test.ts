import { describe, expect, it } from '@jest/globals';
import { placementHash } from '../index.js';
import { withContractBackends } from '../../../test/support/backends.js';
import { waitUntil } from '../../../tools/wait.js';
import { queueHarness } from './queue-harness.js';

// Each status proven by putting an event into that state the way the pipeline does, then asking the queue
// (every partition, as the admin route and npm run events do) where the event is.

const start = 1_700_000_000_000;
const iso = (ms: number) => new Date(ms).toISOString();

withContractBackends('event status', (backend) => {
  // A queue with its hand-driven clock at `start`, and event e1 enqueued at `start`.
  async function withEvent(overrides: Parameters<typeof queueHarness>[1] = {}) {
    const h = queueHarness(backend.redis, overrides);
    await h.enqueueIds('e1');
    const claim = async (consumer = 'c1', leaseMs = 10_000) => {
      const [claimed] = await h.queue.claim(consumer, 1, leaseMs);
      return claimed!;
    };
    const deadLetter = async () => {
      await h.queue.fail('c1', [{ claim: await claim(), error: 'pricing table missing', retry: false }]);
    };
    return { ...h, claim, deadLetter, status: () => h.queue.eventStatus('e1') };
  }

  describe('while the event is in the queue', () => {
    it('when it was just accepted, then it is queued since its enqueue time, with no attempt yet', async () => {
      const h = await withEvent();
      h.advance(5000);
      expect(await h.status()).toEqual({
        event_id: 'e1',
        status: 'queued',
        since: iso(start),
        enqueued_at: iso(start),
        attempts: 0,
      });
    });

    it('when a consumer claimed it, then it is in_flight with the attempt, the consumer and the lease deadline', async () => {
      const h = await withEvent();
      h.advance(200);
      await h.claim('consumer-7', 30_000);
      expect(await h.status()).toEqual({
        event_id: 'e1',
        status: 'in_flight',
        since: iso(start + 200),
        enqueued_at: iso(start),
        attempt: 1,
        consumer: 'consumer-7',
        lease_expires_at: iso(start + 30_200),
      });
    });

    it('when an attempt failed below the max, then it is retry_scheduled with the next attempt time and the error', async () => {
      const h = await withEvent();
      const claimed = await h.claim();
      h.advance(300);
      expect(await h.queue.fail('c1', [{ claim: claimed, error: 'rule threw: boom' }])).toEqual(['retry']);
      // The harness's backoff for a first attempt: half its 1000 ms ceiling, plus 0.5 of the other half.
      expect(await h.status()).toEqual({
        event_id: 'e1',
        status: 'retry_scheduled',
        since: iso(start + 300),
        enqueued_at: iso(start),
        attempts: 1,
        next_attempt_at: iso(start + 300 + 750),
        last_error: 'rule threw: boom',
      });
    });

    it('when it failed for good, then it is dead with the reason and the time of death', async () => {
      const h = await withEvent();
      h.advance(400);
      await h.deadLetter();
      expect(await h.status()).toEqual({
        event_id: 'e1',
        status: 'dead',
        since: iso(start + 400),
        enqueued_at: iso(start),
        attempts: 1,
        last_error: 'pricing table missing',
      });
    });

    it('when its lease expired and recovery took it back, then it is queued again since the recovery', async () => {
      const h = await withEvent();
      await h.claim('crashed', 1000);
      h.advance(1500);
      expect(await h.queue.recoverExpired()).toEqual({ requeued: 1, deadLettered: 0 });
      expect(await h.status()).toEqual({
        event_id: 'e1',
        status: 'queued',
        since: iso(start + 1500),
        enqueued_at: iso(start),
        attempts: 1,
      });
    });

    it('when a dead letter is replayed, then it is queued since the replay with a fresh attempt budget', async () => {
      const h = await withEvent();
      await h.deadLetter();
      h.advance(60_000);
      expect(await h.queue.deadLetters.replay(['e1'])).toBe(1);
      expect(await h.status()).toMatchObject({ status: 'queued', since: iso(start + 60_000), attempts: 0 });
    });
  });

  describe('after the event left the queue', () => {
    it('when it was acked, then it is processed with the ack time, the consumer and the latency, within the same TTL', async () => {
      const h = await withEvent();
      const claimed = await h.claim('consumer-9');
      h.advance(1234);
      expect(await h.queue.ack('consumer-9', [{ claim: claimed, effects: [] }])).toEqual(['acked']);
      const { keys } = h.queue.partitionFor('e1');
      expect(await backend.redis.exists(keys.event('e1'))).toBe(0);
      expect(await h.status()).toEqual({
        event_id: 'e1',
        status: 'processed',
        since: iso(start + 1234),
        consumer: 'consumer-9',
        enqueued_at: iso(start),
        latency_ms: 1234,
      });
      // The outcome rides on the idempotency key, which keeps the TTL the enqueue gave it.
      expect(await backend.redis.pttl(keys.seen('e1'))).toBeGreaterThan(50_000);
      expect(await h.queue.enqueue([{ id: 'e1', body: '{}' }])).toEqual(['duplicate']);
    });

    it('when a dead letter is purged, then it is purged since the purge, its idempotency key still expiring', async () => {
      const h = await withEvent();
      await h.deadLetter();
      h.advance(90_000);
      expect(await h.queue.deadLetters.purge(['e1'])).toBe(1);
      expect(await h.status()).toEqual({
        event_id: 'e1',
        status: 'purged',
        since: iso(start + 90_000),
        enqueued_at: iso(start),
      });
      expect(await backend.redis.pttl(h.queue.partitionFor('e1').keys.seen('e1'))).toBeGreaterThan(50_000);
    });

    it('when the id was never accepted, or its idempotency key expired after the ack, then it is unknown', async () => {
      const h = await withEvent({ idempotencyTtlMs: 150 });
      expect(await h.queue.eventStatus('never-sent')).toEqual({ event_id: 'never-sent', status: 'unknown' });
      await h.queue.ack('c1', [{ claim: await h.claim(), effects: [] }]);
      expect((await h.status()).status).toBe('processed');
      await waitUntil(async () => (await h.status()).status === 'unknown', 10_000, h.status);
    });

    it('when its idempotency key expired while it was queued, then it is still known until the ack, and the ack brings no key back', async () => {
      const h = await withEvent({ idempotencyTtlMs: 150 });
      const { keys } = h.queue.partitionFor('e1');
      await waitUntil(async () => (await backend.redis.exists(keys.seen('e1'))) === 0, 10_000);
      expect((await h.status()).status).toBe('queued');
      await h.queue.ack('c1', [{ claim: await h.claim(), effects: [] }]);
      expect(await backend.redis.exists(keys.seen('e1'))).toBe(0);
      expect(await h.status()).toEqual({ event_id: 'e1', status: 'unknown' });
    });

    it('when its idempotency key was written before outcomes were recorded, then finished, or processed without latency', async () => {
      const h = queueHarness(backend.redis);
      const seenKey = (id: string) => h.queue.partitionFor(id).keys.seen(id);
      const hash = (id: string) => placementHash({ id });
      await backend.redis.set(seenKey('old-hash'), String(hash('old-hash')), 'PX', 60_000);
      await backend.redis.set(seenKey('old-timestamp'), String(start), 'PX', 60_000);
      await backend.redis.set(seenKey('old-acked'), `${hash('old-acked')}:p:${start}:c:with:colons`, 'PX', 60_000);
      expect(await h.queue.eventStatus('old-hash')).toEqual({ event_id: 'old-hash', status: 'finished' });
      expect(await h.queue.eventStatus('old-timestamp')).toEqual({ event_id: 'old-timestamp', status: 'finished' });
      expect(await h.queue.eventStatus('old-acked')).toEqual({
        event_id: 'old-acked',
        status: 'processed',
        since: iso(start),
        consumer: 'c:with:colons',
      });
    });
  });
});
