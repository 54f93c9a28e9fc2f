// Compile-time checks of the types event-schemas.ts derives with json-schema-to-ts (`npm run typecheck` runs
// them; the tests below only check the same values at run time). FromSchema degrades silently when a schema
// helper loses the literal types (every MetadataByType entry becomes `{ [x: string]: unknown }`, no error):
// these lines then stop compiling.
import { describe, expect, it } from '@jest/globals';
import { validateEvent, type Day15Event, type Envelope, type EventType, type MetadataByType } from '../index.js';

/** `true` exactly when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its type argument is `true`. */
const assertType = <T extends true>(): T | undefined => undefined;

assertType<
  Equal<
    EventType,
    'user_signup' | 'subscription_created' | 'subscription_updated' | 'subscription_cancelled' | 'usage_tracked'
  >
>();
assertType<Equal<MetadataByType['subscription_created']['amount'], number | undefined>>();
assertType<Equal<MetadataByType['subscription_updated']['billing_cycle'], 'monthly' | 'annual' | undefined>>();
assertType<Equal<MetadataByType['user_signup']['email'], string | undefined>>();
assertType<Equal<MetadataByType['usage_tracked']['quantity'], number | undefined>>();
assertType<Equal<keyof MetadataByType['subscription_created'], 'plan' | 'amount' | 'billing_cycle' | 'currency'>>();
assertType<Equal<keyof MetadataByType['subscription_cancelled'], 'plan' | 'reason'>>();
assertType<Equal<Envelope['event_type'], EventType>>();
assertType<Equal<Envelope['user_id'], string | undefined>>();
assertType<Equal<Envelope['metadata'], { [x: string]: unknown } | undefined>>();

const base = { event_id: 'evt_1', timestamp: '2026-11-26T10:00:00Z' } as const;

// @ts-expect-error amount is a number
const wrongAmount: MetadataByType['subscription_created'] = { amount: '10' };
// @ts-expect-error billing_cycle is monthly or annual
const wrongCycle: MetadataByType['subscription_updated'] = { billing_cycle: 'weekly' };
// @ts-expect-error quantity is a number; Day15Event pairs the metadata type with event_type
const wrongQuantity: Day15Event = { ...base, event_type: 'usage_tracked', metadata: { quantity: 'many' } };
// @ts-expect-error not an event type
const wrongType: Day15Event = { ...base, event_type: 'user_deleted' };
// Extra metadata fields are allowed, typed unknown.
const extraField: Day15Event = { ...base, event_type: 'subscription_created', metadata: { amount: 10, campaign: 'x' } };

describe('the types derived from the event schemas', () => {
  it('refuse at compile time what validateEvent refuses at run time', () => {
    const refused = [
      { ...base, event_type: 'subscription_created', metadata: wrongAmount },
      { ...base, event_type: 'subscription_updated', metadata: wrongCycle },
      wrongQuantity,
      wrongType,
    ];
    for (const event of refused) expect(validateEvent(event).ok).toBe(false);
    expect(validateEvent(extraField)).toEqual({ ok: true, event: extraField });
  });
});
