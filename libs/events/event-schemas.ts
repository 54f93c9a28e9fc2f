// The event contract, and the TypeScript types derived from it (event-types.ts): adding an event type = adding
// one entry to metadataSchemas, nothing else.
//
// Plain JSON Schema objects (`as const`), which ajv runs; the types come from json-schema-to-ts's FromSchema, a
// type-only import, so the contract costs nothing at run time. FromSchema needs the literal types all the way
// down: every helper that builds a schema piece is generic with `const` type parameters. A helper taking
// `Record<string, object>` instead compiles without complaint but turns every MetadataByType entry into
// `{ [x: string]: unknown }`; test/event-types.test.ts pins the derived types so that cannot happen unnoticed.
// Keywords are written in the order the schemas have always been serialised in (`type` after the limits), so the
// JSON ajv compiles is unchanged byte for byte.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { currencyCodes } from './currencies.js';

/** Keys that could poison prototypes if a consumer ever merged metadata into another object. */
const forbiddenKeys = { not: { enum: ['__proto__', 'constructor', 'prototype'] } } as const;

const text = <const N extends number>(maxLength: N) => ({ minLength: 1, maxLength, type: 'string' }) as const;

/** How deep extra metadata values may nest (objects/arrays inside objects/arrays). */
export const maxMetadataDepth = 3;

// Extra metadata values: scalars, or objects/arrays nesting at most three levels, so a hostile body cannot
// smuggle deep structures to the consumer. The innermost level is named so its error can say why.
// Typed as any JSON Schema: the values of extra fields are `unknown` to TypeScript (see event-types.ts).
const scalar = ['string', 'number', 'boolean', 'null'] as const;
function metadataValue(depth: number): JSONSchema {
  if (depth === maxMetadataDepth) return { $ref: '#/$defs/scalarAtMaxDepth' };
  const inner = metadataValue(depth + 1);
  return {
    type: [...scalar, 'object', 'array'],
    propertyNames: forbiddenKeys,
    maxProperties: 100,
    additionalProperties: inner,
    maxItems: 1000,
    items: inner,
  };
}

/**
 * The metadata of one event type: the listed fields are optional and typed, any other field is allowed
 * (see metadataValue). MetadataByType (event-types.ts) covers the listed fields; Day15Event adds the open index
 * signature.
 */
function metadata<const P extends Record<string, JSONSchema>>(properties: P) {
  return {
    propertyNames: forbiddenKeys,
    maxProperties: 100,
    additionalProperties: metadataValue(1),
    $defs: { scalarAtMaxDepth: { type: scalar } },
    type: 'object',
    properties,
  } as const;
}

const subscriptionChange = metadata({
  plan: text(64),
  amount: { minimum: 0, maximum: 1e9, type: 'number' },
  billing_cycle: { type: 'string', enum: ['monthly', 'annual'] },
  currency: { type: 'string', enum: currencyCodes },
});

/** JSON Schema of the `metadata` of each event type; its keys are the event types. */
export const metadataSchemas = {
  user_signup: metadata({
    source: text(64),
    email: { format: 'email', maxLength: 320, type: 'string' },
    company: text(200),
    country: text(64),
  }),
  subscription_created: subscriptionChange,
  subscription_updated: subscriptionChange,
  subscription_cancelled: metadata({ plan: text(64), reason: text(500) }),
  usage_tracked: metadata({
    feature: text(128),
    // Capped so every quantity adds exactly in Redis (HINCRBY takes 64-bit integers, JSON numbers are doubles).
    quantity: { minimum: 0, maximum: Number.MAX_SAFE_INTEGER, type: 'integer' },
    duration_ms: { minimum: 0, maximum: 1e12, type: 'number' },
  }),
} satisfies Record<string, JSONSchema>;

/** The name of an event type, e.g. `user_signup`. */
export type EventType = keyof typeof metadataSchemas;

/** Every event type, in the order of metadataSchemas. */
export const eventTypes = Object.keys(metadataSchemas) as EventType[];

/**
 * JSON Schema of an event's envelope. `metadata` is only required to be an object here; validateEvent then
 * checks it against metadataSchemas[event_type].
 */
export const envelopeSchema = {
  additionalProperties: false,
  type: 'object',
  required: ['event_id', 'event_type', 'timestamp'],
  properties: {
    event_id: { minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]+$', type: 'string' },
    event_type: { type: 'string', enum: [...eventTypes] },
    timestamp: { format: 'date-time', maxLength: 64, type: 'string' },
    user_id: { minLength: 1, maxLength: 200, type: 'string' },
    metadata: { type: 'object' },
    // Stamped by the receiver; accepted so a queued event re-validates in the consumer.
    received_at: { format: 'date-time', maxLength: 64, type: 'string' },
  },
} as const satisfies JSONSchema;

/** An event envelope as envelopeSchema accepts it (metadata not yet typed by event type). */
export type Envelope = FromSchema<typeof envelopeSchema>;
