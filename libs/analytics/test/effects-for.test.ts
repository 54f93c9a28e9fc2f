import { describe, expect, it } from '@jest/globals';
import type { Day15Event } from '../../events/index.js';
import { effectsFor, monthlyCents } from '../index.js';

const now = Date.parse('2026-11-26T14:30:10Z');
const received = '2026-11-26T14:30:00.000Z';
const base = { timestamp: '2026-11-26T14:29:00Z', received_at: received };
// Effects every event gets (type, minute, latency, hour), then, with a user_id, the active-user index; the
// type's own effects follow.
const common = 7;
const withUser = common + 2;
const effectsOf = (event: Record<string, unknown>) => effectsFor({ ...base, ...event } as Day15Event, { now });

describe('effectsFor', () => {
  it('counts every event by type, in its minute of arrival (kept 48 h), and in the latency histogram', () => {
    const effects = effectsOf({ event_id: 'e1', event_type: 'usage_tracked' });
    expect(effects.slice(0, common)).toEqual([
      { op: 'hincrby', key: 'a:by_type', field: 'usage_tracked', by: 1 },
      { op: 'hincrby', key: 'a:minute:202611261430', field: 'usage_tracked', by: 1 },
      { op: 'expire', key: 'a:minute:202611261430', seconds: 172_800 },
      { op: 'hincrby', key: 'a:latency_ms', field: '10000', by: 1 },
      { op: 'hincrbyfloat', key: 'a:latency_ms', field: 'sum_ms', by: 10_000 },
      { op: 'hincrby', key: 'a:hour:2026112614', field: 'usage_tracked', by: 1 },
      { op: 'expire', key: 'a:hour:2026112614', seconds: 691_200 },
    ]);
  });

  it('marks the user of any event active on its arrival day and forgets days older than 31', () => {
    const day = Math.floor(Date.parse(received) / 86_400_000);
    expect(effectsOf({ event_id: 'e1', event_type: 'usage_tracked', user_id: 'u1' }).slice(common, withUser)).toEqual([
      { op: 'zmax', key: 'a:active', score: day, members: ['u1'] },
      { op: 'ztrimbelow', key: 'a:active', score: day - 30 },
    ]);
  });

  it('counts a signup in total, by source and country (unknown when absent), per day of arrival', () => {
    const effects = effectsOf({
      event_id: 'e1',
      event_type: 'user_signup',
      user_id: 'u1',
      metadata: { source: 'organic' },
    }).slice(withUser);
    expect(effects).toEqual([
      { op: 'hincrby', key: 'a:signups', field: 'total', by: 1 },
      { op: 'hincrby', key: 'a:signups:by_source', field: 'organic', by: 1 },
      { op: 'hincrby', key: 'a:signups:by_country', field: 'unknown', by: 1 },
      { op: 'hincrby', key: 'a:signups:by_day', field: '20261126', by: 1 },
    ]);
  });

  it('turns an annual subscription into its monthly share in cents of its currency, versioned by the event time', () => {
    const [state, expiry] = effectsOf({
      event_id: 'e1',
      event_type: 'subscription_created',
      user_id: 'u1',
      metadata: { plan: 'enterprise', amount: 5988, billing_cycle: 'annual', currency: 'EUR' },
    }).slice(withUser);
    expect(state).toMatchObject({
      op: 'contribution',
      key: 'a:sub:u1',
      version: Date.parse(base.timestamp),
      live: true,
      group: 'enterprise',
      value: 49_900,
      unit: 'EUR',
      movementsKey: 'a:mov:20261126',
      fields: { status: 'active', updated_at: base.timestamp },
    });
    expect(expiry).toEqual({ op: 'expire', key: 'a:mov:20261126', seconds: 92 * 86_400 });
  });

  it('puts a new subscription without a currency in the base currency, and dates a future event today', () => {
    const event = {
      event_id: 'e1',
      event_type: 'subscription_created',
      user_id: 'u1',
      timestamp: '2026-12-24T00:00:00Z',
      received_at: received,
      metadata: { plan: 'basic', amount: 10 },
    } as Day15Event;
    const [state] = effectsFor(event, { now, baseCurrency: 'GBP' }).slice(withUser);
    expect(state).toMatchObject({ unit: 'GBP', movementsKey: 'a:mov:20261126' });
  });

  it('keeps the stored plan and amount when an update omits them', () => {
    const [state] = effectsOf({
      event_id: 'e1',
      event_type: 'subscription_updated',
      user_id: 'u1',
      metadata: {},
    }).slice(withUser);
    expect(state).toMatchObject({
      op: 'contribution',
      live: true,
      group: undefined,
      value: undefined,
      unit: undefined,
    });
  });

  it('ends the subscription on cancellation, keeping plan and amount for the record', () => {
    const [state] = effectsOf({
      event_id: 'e1',
      event_type: 'subscription_cancelled',
      user_id: 'u1',
      metadata: { reason: 'price' },
    }).slice(withUser);
    expect(state).toMatchObject({
      op: 'contribution',
      live: false,
      fields: { status: 'cancelled', cancelled_at: base.timestamp, reason: 'price' },
    });
    expect(state).not.toHaveProperty('value', expect.anything());
  });

  it('changes no subscription state for subscription events without a user_id, but still counts them', () => {
    const effects = effectsOf({ event_id: 'e1', event_type: 'subscription_created' });
    expect(effects).toHaveLength(common);
  });

  it('sums usage quantity and events by feature and the total duration', () => {
    expect(
      effectsOf({
        event_id: 'e1',
        event_type: 'usage_tracked',
        metadata: { feature: 'api_calls', quantity: 150, duration_ms: 3200.5 },
      }).slice(common),
    ).toEqual([
      { op: 'hincrby', key: 'a:usage:quantity', field: 'api_calls', by: 150 },
      { op: 'hincrby', key: 'a:usage:events', field: 'api_calls', by: 1 },
      { op: 'hincrbyfloat', key: 'a:usage', field: 'duration_ms', by: 3200.5 },
    ]);
  });

  it('measures latency from the processing time when an old queue entry has no received_at', () => {
    const effects = effectsFor(
      { event_id: 'e1', event_type: 'usage_tracked', timestamp: base.timestamp } as Day15Event,
      { now },
    );
    expect(effects[3]).toEqual({ op: 'hincrby', key: 'a:latency_ms', field: '5', by: 1 });
  });
});

describe('monthlyCents', () => {
  it.each([
    [99.99, 'monthly', 9999],
    [1199.88, 'annual', 9999],
    [1000, 'annual', 8333],
    [29, undefined, 2900],
  ] as const)('%d billed %s is %d cents a month', (amount, cycle, cents) => {
    expect(monthlyCents(amount, cycle)).toBe(cents);
  });
});
