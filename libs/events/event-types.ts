// The event types, derived from the schemas in event-schemas.ts: nothing here is kept in step by hand.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Envelope, EventType, metadataSchemas } from './event-schemas.js';

export type { EventType };

// The listed fields of a metadata schema as a closed object type. The schema's additionalProperties (the extra
// fields) is left out here: Day15Event's `metadata` adds the extra fields as an index signature.
type ListedFields<S extends { properties: Readonly<Record<string, JSONSchema>> }> = FromSchema<{
  type: 'object';
  properties: S['properties'];
  additionalProperties: false;
}>;

/**
 * The typed (listed) metadata fields of each event type, all optional, e.g.
 * `MetadataByType['subscription_created']` is `{ plan?: string; amount?: number; billing_cycle?: 'monthly' | 'annual'; currency?: string }`.
 * Extra fields are allowed too; Day15Event's `metadata` adds them as an index signature.
 */
export type MetadataByType = { [T in EventType]: ListedFields<(typeof metadataSchemas)[T]> };

/** A valid event of one type: the envelope with `event_type` fixed to T and metadata typed for T. */
type EventOf<T extends EventType> = Omit<Envelope, 'event_type' | 'metadata'> & {
  event_type: T;
  metadata?: MetadataByType[T] & Record<string, unknown>;
};

/** A valid event as validateEvent returns it: a union discriminated by `event_type`. */
export type Day15Event = { [T in EventType]: EventOf<T> }[EventType];

/** One reason an event was refused. */
export interface ValidationIssue {
  /** JSON Pointer to the offending value, e.g. `/metadata/amount`; `` for the event itself. */
  path: string;
  /** What is wrong, e.g. `must be >= 0`, `is required`. */
  message: string;
}
