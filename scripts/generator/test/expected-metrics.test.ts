import { describe, expect, it } from '@jest/globals';
import { ExpectedMetrics } from '../expected-metrics.js';
import { Tally } from '../scenario-context.js';
import type { SyntheticEvent } from '../synthetic-events.js';

const today = '2026-11-26';
const arrived = Date.parse('2026-11-26T12:00:00Z');
let ids = 0;
const sub = (
  type: 'created' | 'updated' | 'cancelled',
  user: string,
  timestamp: string,
  metadata: Record<string, unknown> = {},
): SyntheticEvent => ({
  event_id: `evt_${(ids += 1)}`,
  event_type: `subscription_${type}`,
  user_id: user,
  timestamp,
  metadata,
});
const zeros = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };

function figuresOf(events: SyntheticEvent[], rates: Record<string, number> = {}) {
  const expected = new ExpectedMetrics('USD');
  for (const event of events) expected.record(event, arrived);
  return expected.figures(rates, today);
}

describe('ExpectedMetrics', () => {
  it('when a subscription starts, grows, shrinks, changes plan at the same price, ends and comes back, then each move is dated on its event’s UTC day', () => {
    const figures = figuresOf([
      sub('created', 'u1', '2026-11-23T10:00:00Z', { plan: 'basic', amount: 29 }),
      sub('updated', 'u1', '2026-11-24T10:00:00Z', { plan: 'premium', amount: 99 }),
      sub('updated', 'u1', '2026-11-24T11:00:00Z', { plan: 'team', amount: 99 }),
      sub('updated', 'u1', '2026-11-24T12:00:00Z', { plan: 'basic', amount: 278.4, billing_cycle: 'annual' }),
      sub('cancelled', 'u1', '2026-11-25T10:00:00Z'),
      sub('created', 'u1', '2026-11-26T10:00:00Z', { plan: 'enterprise', amount: 499 }),
    ]);
    expect(figures.movements).toEqual([
      { date: '2026-11-23', ...zeros, new: 29, net: 29, mrr_end: 29 },
      { date: '2026-11-24', ...zeros, expansion: 70, contraction: -75.8, net: -5.8, mrr_end: 23.2 },
      { date: '2026-11-25', ...zeros, churn: -23.2, net: -23.2, mrr_end: 0 },
      { date: '2026-11-26', ...zeros, reactivation: 499, net: 499, mrr_end: 499 },
    ]);
    expect(figures.mrr).toBe(499);
    expect(figures.mrr_by_currency).toEqual({ USD: 499 });
  });

  it('when amounts are in EUR and GBP, then MRR and movements convert those with a rate and leave the others unconverted', () => {
    const events = [
      sub('created', 'u1', '2026-11-26T10:00:00Z', { amount: 29 }),
      sub('created', 'u2', '2026-11-26T10:00:00Z', { amount: 99, currency: 'EUR' }),
      sub('created', 'u3', '2026-11-26T10:00:00Z', { amount: 499, currency: 'GBP' }),
      sub('created', 'u4', '2026-11-26T10:00:00Z', { amount: 10, currency: 'USD' }),
    ];
    const withEur = figuresOf(events, { EUR: 1.08 });
    expect(withEur.mrr).toBe(145.92); // 39 + 99 * 1.08
    expect(withEur.mrr_by_currency).toEqual({ USD: 39, EUR: 99, GBP: 499 });
    expect(withEur.unconverted).toEqual({ GBP: 499 });
    expect(withEur.movements).toEqual([{ date: today, ...zeros, new: 145.92, net: 145.92, mrr_end: 145.92 }]);
    expect(figuresOf(events, { EUR: 1.08, GBP: 1.27 }).mrr).toBe(779.65);
  });

  it('when a live subscription changes currency, then the old value contracts in the old one and the new expands in the new', () => {
    const figures = figuresOf(
      [
        sub('created', 'u1', '2026-11-25T10:00:00Z', { amount: 100 }),
        sub('updated', 'u1', '2026-11-26T10:00:00Z', { amount: 100, currency: 'EUR' }),
      ],
      { EUR: 1.1 },
    );
    expect(figures.movements[1]).toEqual({
      date: today,
      ...zeros,
      expansion: 110,
      contraction: -100,
      net: 10,
      mrr_end: 110,
    });
  });

  it('when an update names no currency, then the subscription keeps its own, as the pipeline does', () => {
    const figures = figuresOf([
      sub('created', 'u1', '2026-11-26T10:00:00Z', { amount: 99, currency: 'EUR' }),
      sub('updated', 'u1', '2026-11-26T11:00:00Z', { amount: 29 }),
    ]);
    expect(figures.mrr_by_currency).toEqual({ EUR: 29 });
  });

  it('when an event is older than the subscription’s last, or cancels an unknown subscription, then nothing moves', () => {
    const figures = figuresOf([
      sub('cancelled', 'u0', '2026-11-26T09:00:00Z'),
      sub('created', 'u1', '2026-11-26T10:00:00Z', { amount: 29 }),
      sub('updated', 'u1', '2026-11-26T09:00:00Z', { amount: 499 }),
    ]);
    expect(figures.mrr).toBe(29);
    expect(figures.movements).toEqual([{ date: today, ...zeros, new: 29, net: 29, mrr_end: 29 }]);
  });

  it('when counting users, then it counts the distinct users of the events that arrived today, any type', () => {
    const expected = new ExpectedMetrics('USD');
    expected.record({ event_id: 'e1', event_type: 'usage_tracked', user_id: 'u1' }, arrived);
    expected.record({ event_id: 'e2', event_type: 'user_signup', user_id: 'u1' }, arrived);
    expected.record({ event_id: 'e3', event_type: 'user_signup', user_id: 'u2' }, arrived);
    expected.record({ event_id: 'e4', event_type: 'user_signup', user_id: 'u3' }, arrived - 86_400_000);
    expected.record({ event_id: 'e5', event_type: 'usage_tracked' }, arrived);
    expect(expected.figures({}, today).active_users_today).toBe(2);
  });

  it('when the receiver answered duplicate, then the tally leaves the event out of the expected figures', () => {
    const expected = new ExpectedMetrics('USD');
    const tally = new Tally(expected);
    tally.count(sub('created', 'u1', '2026-11-26T10:00:00Z', { amount: 29 }), 'accepted', arrived);
    tally.count(sub('created', 'u2', '2026-11-26T10:00:00Z', { amount: 99 }), 'duplicate', arrived);
    tally.countBatch([sub('created', 'u3', '2026-11-26T10:00:00Z', { amount: 5 })], { accepted: 0, duplicates: 1 });
    expect(expected.figures({}, today).mrr).toBe(29);
    expect([tally.accepted, tally.duplicates, tally.unattributed]).toEqual([1, 2, 0]);
  });
});
