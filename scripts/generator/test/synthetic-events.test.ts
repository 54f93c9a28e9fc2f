import { describe, expect, it } from '@jest/globals';
import { randomChoices } from '../random-choices.js';
import { SyntheticEvents, type SyntheticEvent } from '../synthetic-events.js';

// What a run sends, minus the timestamps (always "now"): the basic story of one user, then a random mix.
function eventsOf(seed: number | undefined): SyntheticEvent[] {
  const events = new SyntheticEvents(randomChoices(seed));
  const signup = events.signup();
  const user = events.lastUser();
  const story = [signup, events.subscribe(user), events.upgrade(user), events.usage(user), events.cancel(user)];
  const mix = Array.from({ length: 300 }, () => events.any());
  return [...story, ...mix].map((event) => ({ ...event, timestamp: 'now' }));
}

describe('SyntheticEvents with RandomChoices', () => {
  it('when given the same seed twice, then generates the same events (ids, users, plans, amounts, quantities)', () => {
    expect(eventsOf(15)).toEqual(eventsOf(15));
    expect(new Set(eventsOf(15).map((event) => JSON.stringify(event))).size).toBe(305);
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
