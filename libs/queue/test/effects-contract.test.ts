import { expect, it } from '@jest/globals';
import type { ContributionEffect, Effect } from '../index.js';
import { withContractBackends } from '../../../test/support/backends.js';
import { queueHarness, type QueueHarness } from './queue-harness.js';

// A subscription-like entity: contributes its monthly amount to MRR and its plan while live.
function subscription(version: number, change: Partial<ContributionEffect>): ContributionEffect {
  return {
    op: 'contribution',
    key: 'sub:u1',
    version,
    live: true,
    totalsKey: 'subs',
    valueField: 'mrr',
    liveField: 'active',
    endField: 'churned',
    orphanField: 'unknown_cancellations',
    byGroupKey: 'mrr_by_plan',
    ...change,
  };
}

// The effects here are one user's, so, as the pipeline places them, the events are all in u1's partition.
withContractBackends('ack effects', (backend) => {
  let h: QueueHarness;

  const enqueueForU1 = (...ids: string[]) =>
    h.queue.enqueue(ids.map((id) => ({ id, body: JSON.stringify({ event_id: id }), placementKey: 'u1' })));
  const data = (name: string) => h.queue.partitionFor('u1').keys.data(name);

  async function applyInOrder(...effectsPerEvent: Effect[][]): Promise<void> {
    for (const [i, effects] of effectsPerEvent.entries()) {
      await enqueueForU1(`ev${i}`);
      const [claim] = await h.queue.claim('c', 1, 10_000);
      expect(await h.queue.ack('c', [{ claim: claim!, effects }])).toEqual(['acked']);
    }
  }
  const totals = async () => backend.redis.hgetall(data('subs'));
  const byPlan = async () => backend.redis.hgetall(data('mrr_by_plan'));

  it('applies counters, float sums, set members and expiries under the queue key base', async () => {
    h = queueHarness(backend.redis);
    await applyInOrder(
      [
        { op: 'hincrby', key: 'signups', field: 'organic', by: 2 },
        { op: 'hincrbyfloat', key: 'usage', field: 'seconds', by: 1.25 },
        { op: 'sadd', key: 'users:2026-11-26', member: 'u1' },
        { op: 'expire', key: 'users:2026-11-26', seconds: 3600 },
      ],
      [
        { op: 'hincrbyfloat', key: 'usage', field: 'seconds', by: 0.5 },
        { op: 'sadd', key: 'users:2026-11-26', member: 'u1' },
      ],
    );
    expect(await backend.redis.hget(data('signups'), 'organic')).toBe('2');
    expect(Number(await backend.redis.hget(data('usage'), 'seconds'))).toBeCloseTo(1.75);
    expect(await backend.redis.smembers(data('users:2026-11-26'))).toEqual(['u1']);
    const ttl = await backend.redis.ttl(data('users:2026-11-26'));
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('moves a contribution between groups by the difference when a newer version arrives', async () => {
    h = queueHarness(backend.redis);
    await applyInOrder(
      [subscription(100, { group: 'basic', value: 29, fields: { status: 'active' } })],
      [subscription(200, { group: 'premium', value: 99 })],
    );
    expect(await totals()).toEqual({ mrr: '99', active: '1' });
    expect(await byPlan()).toEqual({ basic: '0', premium: '99' });
    expect(await backend.redis.hget(data('sub:u1'), 'status')).toBe('active');
  });

  it('ignores an older version that arrives late (last writer wins by version)', async () => {
    h = queueHarness(backend.redis);
    await applyInOrder(
      [subscription(200, { group: 'premium', value: 99 })],
      [subscription(100, { group: 'basic', value: 29 })],
    );
    expect(await totals()).toEqual({ mrr: '99', active: '1' });
    expect(await backend.redis.hget(data('sub:u1'), 'g')).toBe('premium');
  });

  it('ends a live contribution once, keeping its group and value, and counts the end', async () => {
    h = queueHarness(backend.redis);
    await applyInOrder(
      [subscription(100, { group: 'premium', value: 99 })],
      [subscription(200, { live: false })],
      [subscription(300, { live: false })],
    );
    expect(await totals()).toEqual({ mrr: '0', active: '0', churned: '1' });
    expect(await backend.redis.hmget(data('sub:u1'), 'g', 'x', 'live')).toEqual(['premium', '99', '0']);
  });

  it('counts the end of an unknown entity as an orphan and never lets the sum go negative', async () => {
    h = queueHarness(backend.redis);
    await applyInOrder([subscription(200, { live: false })], [subscription(100, { group: 'basic', value: 29 })]);
    expect(await totals()).toEqual({ unknown_cancellations: '1' });
    expect(await byPlan()).toEqual({});
    expect(await backend.redis.hmget(data('sub:u1'), 'v', 'x', 'live')).toEqual(['200', '0', '0']);
  });

  it('records every movement of a contribution, signed, per unit, and its totals equal their sum', async () => {
    h = queueHarness(backend.redis);
    const change = (version: number, extra: Partial<ContributionEffect>) =>
      subscription(version, { unit: 'USD', movementsKey: 'mov', ...extra });
    await applyInOrder(
      [change(100, { group: 'basic', value: 29 })],
      [change(200, { group: 'premium', value: 99 })],
      [change(300, { group: 'pro', value: 49 })],
      [change(400, { group: 'team', value: 49 })],
      [change(500, { live: false })],
      [change(450, { group: 'basic', value: 10 })],
      [change(600, { group: 'basic', value: 59 })],
    );
    const movements = await backend.redis.hgetall(data('mov'));
    expect(movements).toEqual({
      'new:USD': '29',
      'expansion:USD': '70',
      'contraction:USD': '-50',
      'churn:USD': '-49',
      'reactivation:USD': '59',
    });
    const sum = Object.values(movements).reduce((total, amount) => total + Number(amount), 0);
    expect(await totals()).toEqual({ 'mrr:USD': String(sum), active: '1', churned: '1' });
    expect(await byPlan()).toEqual({ 'basic:USD': '59', 'premium:USD': '0', 'pro:USD': '0', 'team:USD': '0' });
  });

  it('moves a live contribution that changes unit as a contraction in the old unit and an expansion in the new', async () => {
    h = queueHarness(backend.redis);
    await applyInOrder(
      [subscription(100, { group: 'basic', value: 29, unit: 'USD', movementsKey: 'mov' })],
      [subscription(200, { value: 25, unit: 'EUR', movementsKey: 'mov' })],
    );
    expect(await backend.redis.hgetall(data('mov'))).toEqual({
      'new:USD': '29',
      'contraction:USD': '-29',
      'expansion:EUR': '25',
    });
    expect(await totals()).toEqual({ 'mrr:USD': '0', 'mrr:EUR': '25', active: '1' });
  });

  it('keeps the highest score of each sorted-set member and trims the members scored below a bound', async () => {
    h = queueHarness(backend.redis);
    await applyInOrder(
      [
        { op: 'zmax', key: 'active', score: 20, members: ['u1'] },
        { op: 'zmax', key: 'active', score: 5, members: ['u2'] },
      ],
      [
        { op: 'zmax', key: 'active', score: 10, members: ['u1', 'u3'] },
        { op: 'zmax', key: 'active', score: 12, members: ['u3'] },
        { op: 'ztrimbelow', key: 'active', score: 10 },
      ],
    );
    expect(await backend.redis.zrange(data('active'), 0, -1, 'WITHSCORES')).toEqual(['u3', '12', 'u1', '20']);
  });

  it('applies nothing for an event whose lease was lost, even with effects attached', async () => {
    h = queueHarness(backend.redis);
    await enqueueForU1('lost');
    const [claim] = await h.queue.claim('a', 1, 100);
    h.advance(200);
    await h.queue.recoverExpired();
    const effects: Effect[] = [
      subscription(1, { group: 'basic', value: 10 }),
      { op: 'hincrby', key: 'n', field: 'x', by: 1 },
    ];
    expect(await h.queue.ack('a', [{ claim: claim!, effects }])).toEqual(['lost']);
    expect(await totals()).toEqual({});
    expect(await backend.redis.exists(data('n'))).toBe(0);
  });

  it('parses mixed batches where some events are acked and others are skipped', async () => {
    h = queueHarness(backend.redis);
    await enqueueForU1('keep1', 'gone', 'keep2');
    const claims = await h.queue.claim('c', 3, 10_000);
    const gone = { ...claims[1]!, token: 'forged' };
    const effects: Effect[] = [
      subscription(5, { key: 'sub:x', group: 'g', value: 1 }),
      { op: 'hincrby', key: 'n', field: 'x', by: 1 },
    ];
    const verdicts = await h.queue.ack('c', [
      { claim: claims[0]!, effects },
      { claim: gone, effects },
      { claim: claims[2]!, effects },
    ]);
    expect(verdicts).toEqual(['acked', 'lost', 'acked']);
    expect(await backend.redis.hget(data('n'), 'x')).toBe('2');
    expect(await backend.redis.hget(data('subs'), 'active')).toBe('1');
  });
});
