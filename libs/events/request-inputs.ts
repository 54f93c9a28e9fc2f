// The receiver's other inputs as schemas (plain JSON Schema run by ajv, types derived by json-schema-to-ts's
// FromSchema, see event-schemas.ts): the batch envelope of POST /webhook/batch and the admin dead-letter inputs.
// Each validator answers a verdict with the error code and message the HTTP API sends, and never throws.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** A validator's answer: the checked input, or the API error code and a message saying what to send instead. */
export type InputVerdict<T, E extends string = 'invalid_request'> =
  { ok: true; value: T } | { ok: false; error: E; message: string };

// allErrors: the batch envelope names every unknown field at once.
// useDefaults: the dead-letter list query gets limit/offset defaults from its schema.
const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true });

// --- POST /webhook/batch envelope --------------------------------------------------------------------------

/**
 * JSON Schema of the POST /webhook/batch body: `{ "events": [ ... ] }` with 1 to `maxEvents` entries and no other
 * field. The entries themselves are not checked here: each gets its own verdict from validateEvent.
 */
export function batchEnvelopeSchema(maxEvents: number) {
  return {
    additionalProperties: false,
    type: 'object',
    required: ['events'],
    properties: { events: { minItems: 1, maxItems: maxEvents, type: 'array', items: {} } },
  } as const satisfies JSONSchema;
}

/** A batch body that passed batchEnvelopeSchema. */
export type BatchEnvelope = FromSchema<ReturnType<typeof batchEnvelopeSchema>>;

/**
 * validateBatchEnvelope's answer. `invalid_batch` is answered with 400; `payload_too_large` (more than
 * maxEvents events) with 413 and `limitEvents`, sent as `limit_events`.
 */
export type BatchEnvelopeVerdict =
  | { ok: true; value: BatchEnvelope }
  | { ok: false; error: 'invalid_batch'; message: string }
  | { ok: false; error: 'payload_too_large'; message: string; limitEvents: number };

/** One compiled validator per batch limit (the limit comes from the configuration, so there are one or two). */
const batchValidators = new Map<number, ValidateFunction<BatchEnvelope>>();

/**
 * Checks a parsed POST /webhook/batch body against batchEnvelopeSchema(maxEvents). When several rules are broken,
 * the first of these is reported, with this message:
 * 1. not an object (null, array, scalar): `Body must be an object: { "events": [ ... ] }`
 * 2. other fields than `events`: `Unknown field(s): a, b; the body is { "events": [ ... ] }`
 * 3. `events` missing or not an array: `"events" must be an array of events`
 * 4. `events` empty: `"events" must hold at least one event`
 * 5. more than maxEvents events: `payload_too_large`, `A batch holds at most ${maxEvents} events`
 */
export function validateBatchEnvelope(body: unknown, maxEvents: number): BatchEnvelopeVerdict {
  let validate = batchValidators.get(maxEvents);
  if (!validate) {
    validate = ajv.compile<BatchEnvelope>(batchEnvelopeSchema(maxEvents));
    batchValidators.set(maxEvents, validate);
  }
  if (validate(body)) return { ok: true, value: body };
  const errors = validate.errors ?? [];
  const invalid = (message: string) => ({ ok: false, error: 'invalid_batch', message }) as const;
  if (errors.some((e) => e.instancePath === '' && e.keyword === 'type'))
    return invalid('Body must be an object: { "events": [ ... ] }');
  const unknown = errors
    .filter((e) => e.instancePath === '' && e.keyword === 'additionalProperties')
    .map(additionalProperty);
  if (unknown.length > 0) return invalid(`Unknown field(s): ${unknown.join(', ')}; the body is { "events": [ ... ] }`);
  if (errors.some((e) => e.keyword === 'minItems')) return invalid('"events" must hold at least one event');
  if (errors.some((e) => e.keyword === 'maxItems')) {
    return {
      ok: false,
      error: 'payload_too_large',
      message: `A batch holds at most ${maxEvents} events`,
      limitEvents: maxEvents,
    };
  }
  return invalid('"events" must be an array of events');
}

function additionalProperty(error: ErrorObject): string {
  return String((error.params as { additionalProperty?: unknown }).additionalProperty);
}

// --- GET /admin/dead-letters query -------------------------------------------------------------------------

/** JSON Schema of the GET /admin/dead-letters page: `limit` 1-500 (default 50), `offset` 0 and up (default 0). */
export const deadLetterListQuerySchema = {
  additionalProperties: false,
  type: 'object',
  required: ['limit', 'offset'],
  properties: {
    limit: { minimum: 1, maximum: 500, default: 50, type: 'integer' },
    offset: { minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, type: 'integer' },
  },
} as const satisfies JSONSchema;

/** The page of dead letters to list, defaults applied. */
export type DeadLetterListQuery = FromSchema<typeof deadLetterListQuerySchema>;

const checkListQuery = ajv.compile<DeadLetterListQuery>(deadLetterListQuerySchema);
const listQueryFields = ['limit', 'offset'] as const;

/**
 * Reads `limit` and `offset` from a parsed query string (e.g. Express's `req.query`; other parameters are
 * ignored). A value is read with `Number(...)`, as before, so `" 5 "`, `"1e2"`, `"0x10"` count as integers and
 * an empty `offset=` as 0; a missing value takes the schema's default. The first bad parameter (limit before
 * offset) is reported as `limit must be an integer from 1 to 500` / `offset must be an integer from 0 to
 * 9007199254740991`, with error `invalid_request`.
 */
export function validateDeadLetterListQuery(
  query: Readonly<Record<string, unknown>>,
): InputVerdict<DeadLetterListQuery> {
  const candidate: Record<string, unknown> = {};
  for (const name of listQueryFields) {
    if (query[name] !== undefined) candidate[name] = Number(query[name]);
  }
  if (checkListQuery(candidate)) return { ok: true, value: { limit: candidate.limit, offset: candidate.offset } };
  const paths = new Set((checkListQuery.errors ?? []).map((error) => error.instancePath));
  const name = listQueryFields.find((field) => paths.has(`/${field}`)) ?? listQueryFields[0];
  const { minimum, maximum } = deadLetterListQuerySchema.properties[name];
  return { ok: false, error: 'invalid_request', message: `${name} must be an integer from ${minimum} to ${maximum}` };
}

// --- POST /admin/dead-letters/replay body ------------------------------------------------------------------

// Other fields are allowed and ignored, also the other branch's field in a form that branch refuses (as before):
// { "all": true, "event_ids": [] } replays all, { "all": false, "event_ids": ["a"] } replays a.
const replayAll = {
  type: 'object',
  required: ['all'],
  properties: { all: { const: true, type: 'boolean' } },
} as const satisfies JSONSchema;
const replayIds = {
  type: 'object',
  required: ['event_ids'],
  properties: { event_ids: { minItems: 1, type: 'array', items: { type: 'string' } } },
} as const satisfies JSONSchema;

/**
 * JSON Schema of the POST /admin/dead-letters/replay body: exactly one of `{ "all": true }` and
 * `{ "event_ids": ["...", ...] }` (at least one string). `oneOf`, not `anyOf`, makes it either-or: a body with
 * both is refused.
 */
export const replayRequestSchema = { type: 'object', oneOf: [replayAll, replayIds] } as const satisfies JSONSchema;

/** A replay body that passed replayRequestSchema. */
export type ReplayRequest = FromSchema<typeof replayRequestSchema>;

const checkReplayRequest = ajv.compile<ReplayRequest>(replayRequestSchema);
const isReplayAll = ajv.compile<FromSchema<typeof replayAll>>(replayAll);

/** Message of every refused replay body. */
export const replayRequestMessage = 'Send either { "event_ids": ["..."] } or { "all": true }';

/**
 * Checks a parsed replay body (any JSON value, or undefined). The value is what to replay: `'all'`, or the event
 * ids as sent (duplicates and unknown ids included; the queue skips ids it does not hold). Refused bodies get error
 * `invalid_request` and replayRequestMessage.
 */
export function validateReplayRequest(body: unknown): InputVerdict<'all' | string[]> {
  if (!checkReplayRequest(body)) return { ok: false, error: 'invalid_request', message: replayRequestMessage };
  return { ok: true, value: isReplayAll(body) ? 'all' : body.event_ids };
}
