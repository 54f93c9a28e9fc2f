// The event contract. Adding an event type = adding one entry to metadataSchemas (and its type in event-types.ts).

// Keys that could poison prototypes if a consumer ever merged metadata into another object.
const forbiddenKeys = { not: { enum: ['__proto__', 'constructor', 'prototype'] } };

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

// Extra metadata values: scalars, or objects/arrays nesting at most three levels, so a hostile body cannot
// smuggle deep structures to the consumer. The innermost level is named so its error can say why.
export const maxMetadataDepth = 3;
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

function metadata(properties: Record<string, object>) {
  return {
    type: 'object',
    properties,
    propertyNames: forbiddenKeys,
    maxProperties: 100,
    additionalProperties: metadataValue(1),
    $defs: { scalarAtMaxDepth: { type: scalar } },
  } as const;
}

const subscriptionChange = metadata({
  plan: text(64),
  amount: { type: 'number', minimum: 0, maximum: 1e9 },
  billing_cycle: { type: 'string', enum: ['monthly', 'annual'] },
  currency: { type: 'string', pattern: '^[A-Z]{3}$' },
});

export const metadataSchemas = {
  user_signup: metadata({
    source: text(64),
    email: { type: 'string', format: 'email', maxLength: 320 },
    company: text(200),
    country: text(64),
  }),
  subscription_created: subscriptionChange,
  subscription_updated: subscriptionChange,
  subscription_cancelled: metadata({ plan: text(64), reason: text(500) }),
  usage_tracked: metadata({
    feature: text(128),
    // Capped so every quantity adds exactly in Redis (HINCRBY takes 64-bit integers, JSON numbers are doubles).
    quantity: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    duration_ms: { type: 'number', minimum: 0, maximum: 1e12 },
  }),
} as const;

export type EventType = keyof typeof metadataSchemas;
export const eventTypes = Object.keys(metadataSchemas) as EventType[];

export const envelopeSchema = {
  type: 'object',
  required: ['event_id', 'event_type', 'timestamp'],
  properties: {
    event_id: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]+$' },
    event_type: { type: 'string', enum: eventTypes },
    timestamp: { type: 'string', format: 'date-time', maxLength: 64 },
    user_id: { type: 'string', minLength: 1, maxLength: 200 },
    metadata: { type: 'object' },
    // Stamped by the receiver; accepted so a queued event re-validates in the consumer.
    received_at: { type: 'string', format: 'date-time', maxLength: 64 },
  },
  additionalProperties: false,
} as const;
