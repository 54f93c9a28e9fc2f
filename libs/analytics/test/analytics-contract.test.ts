import { expect, it } from '@jest/globals';
import type { Day15Event } from '../../events/index.js';
import type { PartitionedQueue } from '../../queue/index.js';
import { testQueue, withContractBackends } from '../../../test/support/backends.js';
import { effectsFor, placementKey, readMetrics } from '../index.js';

const now = Date.parse('2026-11-26T14:30:00Z');
let counter = 0;

function event(type: string, change: Record<string, unknown> = {}): Day15Event {
  counter += 1;
  return {
    event_id: `evt_${counter}`,
    event_type: type,
    timestamp: '2026-11-26T12:00:00Z',
    received_at: new Date(now - 20).toISOString(),
    ...change,
  } as Day15Event;
}

withContractBackends('analytics through the queue', (backend) => {
  let queue: PartitionedQueue;

  // Each event goes the real way: enqueue, claim, ack with its effects.
  async function process(...events: Day15Event[]): Promise<void> {
    for (const e of events) {
      await queue.enqueue([{ id: e.event_id, body: JSON.stringify(e), placementKey: placementKey(e) }]);
      const claims = await queue.claim('c', 10, 10_000);
      await queue.ack(
        'c',
        claims.map((claim) => ({ claim, effects: effectsFor(JSON.parse(claim.body) as Day15Event, { now }) })),
      );
    }
  }
  const metrics = (window: '1h' | '24h' = '1h') => readMetrics(queue, { now, window });
  const fresh = () => {
    queue = testQueue(backend.redis, { clock: () => now });
  };

  it('counts signups by source and country, today, and unique users of the day', async () => {
    fresh();
    await process(
      event('user_signup', { user_id: 'u1', metadata: { source: 'organic', country: 'US' } }),
      event('user_signup', { user_id: 'u2', metadata: { source: 'ads', country: 'US' } }),
      event('user_signup', { user_id: 'u1', metadata: { source: 'organic' } }),
    );
    const m = await metrics();
    expect(m.signups).toEqual({
      total: 3,
      today: 3,
      by_source: { organic: 2, ads: 1 },
      by_country: { US: 2, unknown: 1 },
    });
    expect(m.unique_users_today).toBe(2);
    expect(m.totals).toMatchObject({
      by_type: { user_signup: 3, usage_tracked: 0 },
      processed: 3,
      accepted: 3,
      received: 3,
    });
  });

  it('keeps MRR, active count and MRR by plan exact through create, upgrade, annual billing and cancel', async () => {
    fresh();
    await process(
      event('subscription_created', {
        user_id: 'a',
        timestamp: '2026-11-26T10:00:00Z',
        metadata: { plan: 'basic', amount: 29, billing_cycle: 'monthly' },
      }),
      event('subscription_created', {
        user_id: 'b',
        timestamp: '2026-11-26T10:00:00Z',
        metadata: { plan: 'enterprise', amount: 5988, billing_cycle: 'annual' },
      }),
      event('subscription_updated', {
        user_id: 'a',
        timestamp: '2026-11-26T11:00:00Z',
        metadata: { plan: 'premium', amount: 99.99 },
      }),
      event('subscription_cancelled', { user_id: 'b', timestamp: '2026-11-26T12:00:00Z' }),
    );
    expect((await metrics()).subscriptions).toMatchObject({
      active: 1,
      mrr: 99.99,
      mrr_by_currency: { USD: 99.99 },
      by_plan: { premium: 99.99 },
      churned: 1,
      unknown_cancellations: 0,
    });
  });

  it('lets the newest event win when subscription events arrive out of order', async () => {
    fresh();
    await process(
      event('subscription_updated', {
        user_id: 'a',
        timestamp: '2026-11-26T11:00:00Z',
        metadata: { plan: 'premium', amount: 99 },
      }),
      event('subscription_created', {
        user_id: 'a',
        timestamp: '2026-11-26T10:00:00Z',
        metadata: { plan: 'basic', amount: 29 },
      }),
    );
    const m = await metrics();
    expect(m.subscriptions).toMatchObject({ active: 1, mrr: 99, by_plan: { premium: 99 } });
    expect(m.totals.by_type).toMatchObject({ subscription_created: 1, subscription_updated: 1 });
  });

  it('counts a cancellation of an unknown subscription as such, never making MRR negative', async () => {
    fresh();
    await process(
      event('subscription_cancelled', { user_id: 'ghost', timestamp: '2026-11-26T12:00:00Z' }),
      event('subscription_created', {
        user_id: 'ghost',
        timestamp: '2026-11-26T09:00:00Z',
        metadata: { plan: 'basic', amount: 29 },
      }),
    );
    expect((await metrics()).subscriptions).toMatchObject({
      active: 0,
      mrr: 0,
      mrr_by_currency: {},
      by_plan: {},
      churned: 0,
      unknown_cancellations: 1,
      movements: { today: { new: 0, churn: 0, net: 0 } },
    });
  });

  it('counts a duplicate event once and a redelivered, already acked event not at all', async () => {
    fresh();
    const usage = event('usage_tracked', { metadata: { feature: 'api_calls', quantity: 150, duration_ms: 3200 } });
    await process(usage, usage);
    await queue.enqueue([
      {
        id: 'late',
        body: JSON.stringify(
          event('usage_tracked', { event_id: 'late', metadata: { feature: 'api_calls', quantity: 5 } }),
        ),
      },
    ]);
    const [claim] = await queue.claim('c', 1, 10_000);
    const effects = effectsFor(JSON.parse(claim!.body) as Day15Event, { now });
    await queue.ack('c', [{ claim: claim!, effects }]);
    await queue.ack('c', [{ claim: claim!, effects }]);
    const m = await metrics();
    expect(m.usage).toEqual({ by_feature: { api_calls: { quantity: 155, events: 2 } }, total_duration_ms: 3200 });
    expect(m.totals).toMatchObject({ duplicates: 1, processed: 2, received: 3 });
  });

  it('derives latency percentiles and the per-minute series from what was processed', async () => {
    fresh();
    await process(event('user_signup'), event('usage_tracked'));
    const m = await metrics();
    // Exact, not measured: every event was received at `now - 20` and processed at `now` on the fixed clock.
    expect(m.latency_ms.p50).toBeGreaterThan(10);
    expect(m.latency_ms.p99).toBeLessThanOrEqual(25);
    expect(m.latency_ms.average).toBe(20);
    expect(m.series.per_minute).toHaveLength(60);
    expect(m.series.per_minute.slice(-2).map((point) => point.at)).toEqual([
      '2026-11-26T14:29:00.000Z',
      '2026-11-26T14:30:00.000Z',
    ]);
    expect(m.series.per_minute.at(-2)!.by_type).toEqual({ user_signup: 1, usage_tracked: 1 });
    expect(m.series.per_hour).toBeUndefined();
    const day = await metrics('24h');
    expect(day.series.per_hour).toHaveLength(24);
    expect(day.series.per_hour!.at(-1)).toEqual({
      at: '2026-11-26T14:00:00.000Z',
      by_type: { user_signup: 1, usage_tracked: 1 },
    });
    expect(m.queue).toEqual({ ready: 0, in_flight: 0, delayed: 0, dead: 0, oldest_ready_age_s: 0 });
    expect(m.pipeline.intake).toEqual({ accepted: { unlabelled: 2 } });
  });

  describe('money: currencies, MRR movements and active users', () => {
    const money = { baseCurrency: 'USD', fxRates: { EUR: 1.1 }, fxRatesDate: '2026-11-01' };
    const day = (date: string) => `2026-11-${date}T10:00:00Z`;
    const sub = (type: string, user: string, date: string, metadata: Record<string, unknown> = {}) =>
      event(type, { user_id: user, timestamp: day(date), metadata });
    const arrivedDaysAgo = (user: string, days: number) =>
      event('usage_tracked', { user_id: user, received_at: new Date(now - days * 86_400_000).toISOString() });
    const upgrade = sub('subscription_updated', 'a', '25', { plan: 'pro', amount: 99 });
    // An upgrade, a downgrade (EUR), a cancel and a reactivation, a plan change at the same price, a currency
    // without a rate (JPY), a stale event, a duplicate, and users active 3, 20 and 40 days ago.
    const story = [
      arrivedDaysAgo('z', 40),
      arrivedDaysAgo('y', 20),
      arrivedDaysAgo('x', 3),
      sub('subscription_created', 'a', '24', { plan: 'basic', amount: 29 }),
      sub('subscription_created', 'b', '24', { plan: 'premium', amount: 100, currency: 'EUR' }),
      sub('subscription_created', 'c', '24', { plan: 'basic', amount: 49 }),
      upgrade,
      sub('subscription_updated', 'b', '25', { amount: 50, currency: 'EUR' }),
      sub('subscription_cancelled', 'c', '25'),
      sub('subscription_created', 'c', '26', { plan: 'pro', amount: 59 }),
      sub('subscription_updated', 'b', '26', { plan: 'team', amount: 50, currency: 'EUR' }),
      sub('subscription_created', 'd', '26', { plan: 'basic', amount: 1000, currency: 'JPY' }),
      sub('subscription_updated', 'a', '23', { plan: 'basic', amount: 10 }),
      upgrade,
    ];
    const read = () => readMetrics(queue, { now, window: '1h', money });
    const expectContinuous = (byDay: { net: number; mrr_end: number }[]) => {
      byDay.slice(1).forEach((today, i) => {
        expect(Math.round((byDay[i]!.mrr_end + today.net) * 100)).toBe(Math.round(today.mrr_end * 100));
      });
    };

    it('reports MRR per currency, converted to the base, every movement by day, mrr_end and DAU/WAU/MAU exactly', async () => {
      fresh();
      await process(...story);
      const m = await read();
      expect(m.totals).toMatchObject({ duplicates: 1 });
      const { movements, ...subscriptions } = m.subscriptions;
      expect(subscriptions).toEqual({
        active: 4,
        currency: 'USD',
        mrr: 213,
        mrr_by_currency: { USD: 158, EUR: 50, JPY: 1000 },
        unconverted: { JPY: 1000 },
        fx: { date: '2026-11-01', rates: { EUR: 1.1 } },
        by_plan: { pro: 158, team: 55 },
        churned: 1,
        unknown_cancellations: 0,
      });
      expect(movements.by_day).toHaveLength(90);
      const zero = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };
      expect(movements.by_day.slice(-4)).toEqual([
        { date: '2026-11-23', ...zero, net: 0, mrr_end: 0 },
        { date: '2026-11-24', ...zero, new: 188, net: 188, mrr_end: 188 },
        { date: '2026-11-25', ...zero, expansion: 70, contraction: -55, churn: -49, net: -34, mrr_end: 154 },
        { date: '2026-11-26', ...zero, reactivation: 59, net: 59, mrr_end: 213 },
      ]);
      expect(movements.today).toEqual({ ...zero, reactivation: 59, net: 59 });
      expectContinuous(movements.by_day);
      expect(m.active_users).toEqual({ dau: 4, wau: 5, mau: 6 });
      expect(m.unique_users_today).toBe(4);
    });

    it('keeps mrr_end continuous and MRR exact when the same events arrive out of order', async () => {
      fresh();
      await process(...[...story].reverse());
      const m = await read();
      expect(m.subscriptions).toMatchObject({ mrr: 213, mrr_by_currency: { USD: 158, EUR: 50, JPY: 1000 } });
      expectContinuous(m.subscriptions.movements.by_day);
      expect(m.subscriptions.movements.by_day.at(-1)!.mrr_end).toBe(213);
      expect(m.subscriptions.movements.by_day.at(0)!.mrr_end).toBe(0);
    });
  });
});
