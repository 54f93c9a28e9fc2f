import { describe, expect, it } from '@jest/globals';
import { encodeEffects, mergeEffects, queueKeys, retryDelayMs, type Effect } from '../index.js';
import { SentMaxima } from '../sent-maxima.js';

describe('queueKeys', () => {
  it('puts every key of a queue under one hash tag after the prefix', () => {
    const keys = queueKeys('day15');
    expect(keys.base).toBe('day15:{events}:');
    for (const key of [
      keys.ready,
      keys.inFlight,
      keys.delayed,
      keys.dead,
      keys.fence,
      keys.counters,
      keys.event('e1'),
      keys.seen('e1'),
      keys.data('subs'),
    ]) {
      expect(key.startsWith('day15:{events}:')).toBe(true);
    }
  });

  it('rejects a prefix that could break out of the namespace or the hash tag', () => {
    expect(() => queueKeys('a{b}')).toThrow(/Invalid prefix "a\{b\}"/);
    expect(() => queueKeys('day15', '')).toThrow(/Invalid queue name/);
  });
});

describe('retryDelayMs', () => {
  const backoff = { baseMs: 1000, maxMs: 10_000 };

  it('doubles with each attempt and stays within [half, all] of the ceiling', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(attempt, backoff, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((attempt) => retryDelayMs(attempt, backoff, () => 0.999999))).toEqual([1000, 2000, 4000]);
  });

  it('never exceeds the maximum delay', () => {
    expect(retryDelayMs(30, backoff, () => 0.999999)).toBe(10_000);
  });
});

describe('encodeEffects', () => {
  it('flattens ops into script arguments in the documented order', () => {
    expect(
      encodeEffects([
        { op: 'hincrby', key: 'k', field: 'f', by: 2 },
        { op: 'sadd', key: 's', member: 'm' },
        { op: 'expire', key: 's', seconds: 172_800 },
      ]),
    ).toEqual(['hincrby', 'k', 'f', 2, 'sadd', 's', 'm', 'expire', 's', 172_800]);
  });

  it('encodes a contribution with its extra fields counted', () => {
    const args = encodeEffects([
      {
        op: 'contribution',
        key: 'sub:u',
        version: 5,
        live: false,
        totalsKey: 't',
        valueField: 'mrr',
        liveField: 'active',
        endField: 'churned',
        orphanField: 'orphans',
        byGroupKey: 'g',
        fields: { status: 'cancelled' },
      },
    ]);
    expect(args).toEqual([
      'contribution',
      'sub:u',
      5,
      '',
      '',
      0,
      't',
      'mrr',
      'active',
      'churned',
      'orphans',
      'g',
      '',
      '',
      1,
      'status',
      'cancelled',
    ]);
  });

  it('refuses numbers the script could not apply exactly', () => {
    expect(() => encodeEffects([{ op: 'hincrby', key: 'k', field: 'f', by: 1.5 }])).toThrow(/integer/);
    expect(() => encodeEffects([{ op: 'hincrbyfloat', key: 'k', field: 'f', by: Number.NaN }])).toThrow(/finite/);
  });
});

describe('mergeEffects', () => {
  it('keeps the highest score asked for each sorted-set member, one zmax per key and score, and the highest trim', () => {
    const merged = mergeEffects([
      { op: 'zmax', key: 'a', score: 7, members: ['u1'] },
      { op: 'zmax', key: 'a', score: 9, members: ['u2'] },
      { op: 'zmax', key: 'a', score: 9, members: ['u1'] },
      { op: 'zmax', key: 'a', score: 8, members: ['u2', 'u3'] },
      { op: 'ztrimbelow', key: 'a', score: 2 },
      { op: 'ztrimbelow', key: 'a', score: 3 },
    ]);
    expect(merged).toEqual([
      { op: 'zmax', key: 'a', score: 9, members: ['u1', 'u2'] },
      { op: 'zmax', key: 'a', score: 8, members: ['u3'] },
      { op: 'ztrimbelow', key: 'a', score: 3 },
    ]);
  });

  it('sums counters per field, keeps set members and the longest expiry once, expiries last, contributions in order', () => {
    const contribution = (version: number): Effect => ({
      op: 'contribution',
      key: 'sub:u',
      version,
      live: true,
      totalsKey: 't',
      valueField: 'v',
      liveField: 'l',
      endField: 'e',
      orphanField: 'o',
      byGroupKey: 'g',
    });
    const merged = mergeEffects([
      { op: 'expire', key: 'm', seconds: 10 },
      { op: 'hincrby', key: 'm', field: 'a', by: 1 },
      contribution(1),
      { op: 'hincrby', key: 'm', field: 'a', by: 2 },
      { op: 'hincrbyfloat', key: 'm', field: 'a', by: 0.5 },
      { op: 'sadd', key: 's', member: 'u1' },
      { op: 'sadd', key: 's', member: 'u1' },
      { op: 'expire', key: 'm', seconds: 20 },
      contribution(2),
    ]);
    expect(merged).toEqual([
      { op: 'hincrby', key: 'm', field: 'a', by: 3 },
      { op: 'hincrbyfloat', key: 'm', field: 'a', by: 0.5 },
      { op: 'sadd', key: 's', member: 'u1' },
      contribution(1),
      contribution(2),
      { op: 'expire', key: 'm', seconds: 20 },
    ]);
  });
});

describe('SentMaxima', () => {
  const zmax = (score: number, ...members: string[]): Effect => ({ op: 'zmax', key: 'a', score, members });

  it('leaves out the members an applied ack already set to that score or higher, and keeps every other effect', () => {
    const sent = new SentMaxima();
    sent.remember([zmax(9, 'u1'), zmax(7, 'u2')]);
    const counter: Effect = { op: 'hincrby', key: 'n', field: 'x', by: 1 };
    expect(sent.unsent([zmax(9, 'u1', 'u2', 'u3'), counter])).toEqual([zmax(9, 'u2', 'u3'), counter]);
    expect(sent.unsent([zmax(8, 'u1')])).toEqual([]);
  });

  it('forgets everything once it holds more than its limit, so it stays bounded', () => {
    const sent = new SentMaxima(2);
    sent.remember([zmax(1, 'u1', 'u2', 'u3')]);
    sent.remember([zmax(1, 'u4')]);
    expect(sent.unsent([zmax(1, 'u1', 'u4')])).toEqual([zmax(1, 'u1')]);
  });
});
