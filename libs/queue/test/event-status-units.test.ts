import { describe, expect, it } from '@jest/globals';
import { mostInformative, readEventStatus } from '../event-status.js';
import { queueKeys, type EventStatus, type RedisClient } from '../index.js';
import { parseSeenValue } from '../seen-value.js';

describe('parseSeenValue (the idempotency key as enqueue, ack and purge write it)', () => {
  it('reads the placement hash, the enqueue time and the outcome, the consumer last so it may hold colons', () => {
    expect(parseSeenValue('3405691582:1700000000000')).toEqual({
      placementHash: 3405691582,
      enqueuedAt: 1700000000000,
      outcome: undefined,
    });
    expect(parseSeenValue('7:1700000000000:p:1700000000250:host-12-ab:x')).toEqual({
      placementHash: 7,
      enqueuedAt: 1700000000000,
      outcome: { status: 'processed', at: 1700000000250, consumer: 'host-12-ab:x' },
    });
    expect(parseSeenValue('7:1700000000000:x:1700000009000')).toMatchObject({
      outcome: { status: 'purged', at: 1700000009000 },
    });
  });

  it('reads the older values: the hash alone, with an outcome appended, or a timestamp that is no hash', () => {
    expect(parseSeenValue('4294967295')).toEqual({
      placementHash: 4294967295,
      enqueuedAt: undefined,
      outcome: undefined,
    });
    expect(parseSeenValue('0:p:1700000000250:c1')).toEqual({
      placementHash: 0,
      enqueuedAt: undefined,
      outcome: { status: 'processed', at: 1700000000250, consumer: 'c1' },
    });
    expect(parseSeenValue('4294967296').placementHash).toBeUndefined();
    expect(parseSeenValue('1700000000000:p:1700000000250:c1')).toMatchObject({
      placementHash: undefined,
      outcome: { status: 'processed' },
    });
    expect(parseSeenValue('not-a-hash').placementHash).toBeUndefined();
  });
});

describe('mostInformative (one answer from every partition)', () => {
  const unknown: EventStatus = { event_id: 'e', status: 'unknown' };
  const finished: EventStatus = { event_id: 'e', status: 'finished' };
  const processed = (since: string): EventStatus => ({ event_id: 'e', status: 'processed', since, consumer: 'c' });
  const queued: EventStatus = {
    event_id: 'e',
    status: 'queued',
    since: '2026-01-01T00:00:00.000Z',
    enqueued_at: '2026-01-01T00:00:00.000Z',
    attempts: 0,
  };

  it('prefers the partition holding the event, then an outcome, then finished, then the latest change', () => {
    expect(mostInformative([unknown, unknown])).toBe(unknown);
    expect(mostInformative([unknown, finished, unknown])).toBe(finished);
    expect(mostInformative([finished, processed('2026-02-01T00:00:00.000Z')]).status).toBe('processed');
    expect(mostInformative([processed('2026-02-01T00:00:00.000Z'), queued, unknown])).toBe(queued);
    const later = processed('2026-03-01T00:00:00.000Z');
    expect(mostInformative([processed('2026-02-01T00:00:00.000Z'), later])).toBe(later);
  });
});

describe('readEventStatus (pipelined reads, not one snapshot)', () => {
  // A client whose pipelines answer the given replies in turn: [hash first, in flight, delayed, dead, seen, hash last].
  function scripted(...reads: unknown[][]) {
    let pipelines = 0;
    const pipeline = new Proxy(
      {},
      {
        get: (_target, name) =>
          name === 'exec' ? async () => (reads[pipelines++] ?? []).map((value) => [null, value]) : () => pipeline,
      },
    );
    return { client: { pipeline: () => pipeline } as unknown as RedisClient, pipelines: () => pipelines };
  }
  const hash = (owner: string | null) => [
    '1',
    '1700000000000',
    '1700000000100',
    owner,
    owner ? '7' : null,
    'boom',
    null,
  ];

  it('when a script changed the event between the first and the last read, then it reads again and answers that', async () => {
    const torn = [hash(null), null, null, null, '7:1700000000000', hash('c2')];
    const settled = [hash('c2'), '1700000060000', null, null, '7:1700000000000', hash('c2')];
    const redis = scripted(torn, settled);
    expect(await readEventStatus(redis.client, queueKeys('t'), 'e1')).toMatchObject({
      status: 'in_flight',
      consumer: 'c2',
    });
    expect(redis.pipelines()).toBe(2);
  });
});
