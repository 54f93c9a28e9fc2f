// The event contract, and the TypeScript types derived from it (event-types.ts): adding an event type = adding
// one entry to metadataSchemas, nothing else.
//
// Why TypeBox, not json-schema-to-ts: it is a dependency already; each builder call yields the JSON Schema ajv
// runs *and* its static type, cheaply. json-schema-to-ts (tried on this file in a scratch project, strict tsconfig)
// works, but needs `as const`/`const` generics through every helper and degrades silently: with the old helper
// `metadata(properties: Record<string, object>)` every MetadataByType became `{ [x: string]: unknown }`, no error.
// Where a TypeBox builder would change ajv's messages (Union = anyOf, not enum), the schema is typed via Type.Unsafe.
import { Type, type Static, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** Keys that could poison prototypes if a consumer ever merged metadata into another object. */
const forbiddenKeys = { not: { enum: ['__proto__', 'constructor', 'prototype'] } };

const text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

// A string that must be one of `values`, as a JSON Schema `enum` (so ajv answers "must be one of: ..."), typed as
// the union of the values.
function stringEnum<const T extends readonly string[]>(values: T): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/** How deep extra metadata values may nest (objects/arrays inside objects/arrays). */
export const maxMetadataDepth = 3;

// Extra metadata values: scalars, or objects/arrays nesting at most three levels, so a hostile body cannot
// smuggle deep structures to the consumer. The innermost level is named so its error can say why.
const scalar = ['string', 'number', 'boolean', 'null'];
function metadataValue(depth: number): object {
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
 * (see metadataValue). The static type covers the listed fields; event-types.ts adds the open index signature.
 */
function metadata<T extends TProperties>(properties: T) {
  return Type.Object(properties, {
    propertyNames: forbiddenKeys,
    maxProperties: 100,
    additionalProperties: Type.Unsafe<unknown>(metadataValue(1)),
    $defs: { scalarAtMaxDepth: { type: scalar } },
  });
}

const subscriptionChange = metadata({
  plan: Type.Optional(text(64)),
  amount: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9 })),
  billing_cycle: Type.Optional(stringEnum(['monthly', 'annual'])),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
});

/** JSON Schema of the `metadata` of each event type; its keys are the event types. */
export const metadataSchemas = {
  user_signup: metadata({
    source: Type.Optional(text(64)),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    company: Type.Optional(text(200)),
    country: Type.Optional(text(64)),
  }),
  subscription_created: subscriptionChange,
  subscription_updated: subscriptionChange,
  subscription_cancelled: metadata({ plan: Type.Optional(text(64)), reason: Type.Optional(text(500)) }),
  usage_tracked: metadata({
    feature: Type.Optional(text(128)),
    // Capped so every quantity adds exactly in Redis (HINCRBY takes 64-bit integers, JSON numbers are doubles).
    quantity: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    duration_ms: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
  }),
} satisfies Record<string, TSchema>;

/** The name of an event type, e.g. `user_signup`. */
export type EventType = keyof typeof metadataSchemas;

/** Every event type, in the order of metadataSchemas. */
export const eventTypes = Object.keys(metadataSchemas) as EventType[];

/**
 * JSON Schema of an event's envelope. `metadata` is only required to be an object here; validateEvent then
 * checks it against metadataSchemas[event_type].
 */
export const envelopeSchema = Type.Object(
  {
    event_id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]+$' }),
    event_type: stringEnum(eventTypes),
    timestamp: Type.String({ format: 'date-time', maxLength: 64 }),
    user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    metadata: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
    // Stamped by the receiver; accepted so a queued event re-validates in the consumer.
    received_at: Type.Optional(Type.String({ format: 'date-time', maxLength: 64 })),
  },
  { additionalProperties: false },
);

/** An event envelope as envelopeSchema accepts it (metadata not yet typed by event type). */
export type Envelope = Static<typeof envelopeSchema>;
