import { describe, expect, it } from '@jest/globals';
import { canChange, prices, pricesFor } from '../price-list.js';
import { randomChoices } from '../random-choices.js';
import { SyntheticEvents, type SyntheticEvent } from '../synthetic-events.js';

const isSubscriptionEvent = (event: SyntheticEvent) => event.event_type.startsWith('subscription_');

// What a run sends: the basic story of one user (a phase per subscription event), then a random mix with a
// new phase every 50 events, as the generator's scenarios do.
function sentBy(seed: number | undefined): SyntheticEvent[] {
  const events = new SyntheticEvents(randomChoices(seed));
  const signup = events.signup();
  const user = events.lastUser();
  const story = [signup, events.subscribe(user, { priceWhere: (price) => canChange(price, 'up') })];
  events.nextPhase();
  story.push(events.upgrade(user), events.usage(user));
  events.nextPhase();
  story.push(events.cancel(user));
  const mix = Array.from({ length: 600 }, (_, i) => {
    if (i % 50 === 0) events.nextPhase();
    return events.any();
  });
  return [...story, ...mix];
}

// The same, minus the timestamps (always "now").
const eventsOf = (seed: number | undefined) => sentBy(seed).map((event) => ({ ...event, timestamp: 'now' }));

describe('SyntheticEvents with RandomChoices', () => {
  it('when given the same seed twice, then generates the same events (ids, users, plans, amounts, currencies)', () => {
    expect(eventsOf(15)).toEqual(eventsOf(15));
    expect(new Set(eventsOf(15).map((event) => JSON.stringify(event))).size).toBe(605);
  });

  it('when given different seeds, then generates different events', () => {
    const [a, b] = [eventsOf(15), eventsOf(16)];
    const idsOfB = new Set(b.map((event) => event.event_id));
    expect(a.filter((event) => idsOfB.has(event.event_id))).toEqual([]);
    expect(a.map((event) => event.event_type)).not.toEqual(b.map((event) => event.event_type));
  });

  it('when given no seed, then generates different events each time, as before seeds existed', () => {
    expect(eventsOf(undefined)).not.toEqual(eventsOf(undefined));
  });
});

describe('SyntheticEvents stories', () => {
  it('when mixing at random, then each user gets at most one subscription event per phase, at increasing times', () => {
    const events = new SyntheticEvents(randomChoices(40));
    const phaseOf = new Map<string, number>();
    const lastAt = new Map<string, number>();
    for (let phase = 0; phase < 12; phase += 1) {
      for (const event of Array.from({ length: 50 }, () => events.any()).filter(isSubscriptionEvent)) {
        const user = String(event.user_id);
        const at = Date.parse(String(event.timestamp));
        expect(phaseOf.get(user)).not.toBe(phase);
        expect(at).toBeGreaterThan(lastAt.get(user) ?? 0);
        phaseOf.set(user, phase);
        lastAt.set(user, at);
      }
      events.nextPhase();
    }
  });

  it('when a user already had a subscription event in this phase, then another is refused until the next phase', () => {
    const events = new SyntheticEvents(randomChoices(1));
    events.signup();
    const user = events.lastUser();
    events.subscribe(user);
    expect(() => events.cancel(user)).toThrow(/already has a subscription event in this phase/);
    events.nextPhase();
    expect(events.cancel(user).event_type).toBe('subscription_cancelled');
  });

  it('when dating events, then refuses a subscription event not later than the user’s last', () => {
    const events = new SyntheticEvents(randomChoices(1));
    events.signup();
    const user = events.lastUser();
    events.subscribe(user, { at: Date.parse('2026-11-26T10:00:00Z') });
    events.nextPhase();
    expect(() => events.cancel(user, { at: Date.parse('2026-11-26T09:00:00Z') })).toThrow(/increasing timestamps/);
  });

  it('when mixing at random, then upgrades, downgrades, same-price changes, churn and comebacks all happen', () => {
    const sent = sentBy(40);
    const valueOf = (event: SyntheticEvent) => {
      const { amount, billing_cycle } = event.metadata as { amount: number; billing_cycle: string };
      return billing_cycle === 'annual' ? amount / 12 : amount;
    };
    const last = new Map<string, SyntheticEvent>();
    const seen = new Set<string>();
    for (const event of sent.filter(isSubscriptionEvent)) {
      const user = String(event.user_id);
      const before = last.get(user);
      if (event.event_type === 'subscription_updated' && before) {
        const [from, to] = [valueOf(before), valueOf(event)];
        seen.add(to > from ? 'upgrade' : to < from ? 'downgrade' : 'same price');
      }
      if (event.event_type === 'subscription_created' && before?.event_type === 'subscription_cancelled')
        seen.add('comeback');
      if (event.event_type === 'subscription_cancelled') seen.add('cancel');
      last.set(user, event);
    }
    expect([...seen].sort()).toEqual(['cancel', 'comeback', 'downgrade', 'same price', 'upgrade']);
  });

  it('when subscribing, then mostly names no currency (the base), some the base, EUR or GBP', () => {
    const events = new SyntheticEvents(randomChoices(7), 'USD');
    const currencies = Array.from({ length: 1000 }, () => {
      events.signup();
      const { currency } = events.subscribe(events.lastUser()).metadata as { currency?: string };
      return currency ?? 'none';
    });
    const share = (code: string) => currencies.filter((c) => c === code).length / currencies.length;
    expect(share('none')).toBeGreaterThan(0.5);
    for (const code of ['USD', 'EUR', 'GBP']) expect(share(code)).toBeGreaterThan(0.05);
    expect(share('none') + share('USD') + share('EUR') + share('GBP')).toBe(1);
  });
});

describe('price list', () => {
  it('when changing plan, then up is a higher monthly value, down lower, same an equal value on another plan', () => {
    const premium = prices.find((p) => p.plan === 'premium' && p.cycle === 'monthly')!;
    expect(pricesFor(premium, 'up').every((p) => p.cents > premium.cents)).toBe(true);
    expect(pricesFor(premium, 'down').every((p) => p.cents < premium.cents)).toBe(true);
    expect(pricesFor(premium, 'same')).toEqual([{ plan: 'team', cycle: 'monthly', amount: 99, cents: 9900 }]);
    expect(pricesFor(premium, 'keep')).toEqual([premium]);
    expect(prices.find((p) => p.plan === 'basic' && p.cycle === 'annual')).toEqual({
      plan: 'basic',
      cycle: 'annual',
      amount: 278.4,
      cents: 2320,
    });
  });
});
