import {
  batchEnvelopeSchema,
  deadLetterListQuerySchema,
  envelopeSchema,
  eventTypes,
  metadataSchemas,
  replayRequestSchema,
  type EventType,
} from '../../../libs/events/index.js';
import type { JsonObject, ParameterSpec } from './openapi-types.js';

// The request schemas of the document: the very objects libs/events validates with, composed here and never
// restated, so the document cannot drift from what the receiver accepts.

/** The component name of an event type's metadata schema, e.g. `user_signup_metadata`. */
const metadataName = (type: EventType) => `${type}_metadata`;

/** `$ref` to a schema under components/schemas. */
export const schemaRef = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

/**
 * The request body schemas under components/schemas: Event (the envelope, with metadata typed by event_type),
 * each type's metadata, the batch envelope (its event limit comes from the configuration) and the replay body.
 */
export function requestSchemas(maxBatchEvents: number): Record<string, JsonObject> {
  const metadata = Object.fromEntries(
    eventTypes.map((type) => [
      metadataName(type),
      // The metadata schemas refer to their own `#/$defs/...`; an $id makes each its own resource, so those
      // references resolve inside it rather than against the document's root.
      {
        $id: `urn:day15:schema:${metadataName(type)}`,
        description: `metadata of a ${type} event`,
        ...metadataSchemas[type],
      },
    ]),
  );
  return {
    Event: {
      description:
        'One event. validateEvent checks the envelope, then the metadata against the schema of its event_type; ' +
        'this schema composes the same two schemas.',
      allOf: [
        envelopeSchema,
        {
          oneOf: eventTypes.map((type) => ({
            type: 'object',
            required: ['event_type'],
            properties: { event_type: { const: type }, metadata: schemaRef(metadataName(type)) },
          })),
        },
      ],
    },
    ...metadata,
    BatchRequest: {
      description:
        'A batch: { "events": [ ... ] }. Each entry is meant to be an Event and gets its own verdict: invalid ' +
        'entries are listed in `rejected`, valid ones are queued.',
      ...batchEnvelopeSchema(maxBatchEvents),
    },
    ReplayRequest: {
      description: 'Which dead letters to replay: the listed event ids, or all of them.',
      ...replayRequestSchema,
    },
  };
}

/** The query parameters of GET /admin/dead-letters, with the schemas of deadLetterListQuerySchema. */
export const deadLetterListParameters: ParameterSpec[] = (['limit', 'offset'] as const).map((name) => ({
  name,
  in: 'query',
  required: false,
  schema: deadLetterListQuerySchema.properties[name],
}));
