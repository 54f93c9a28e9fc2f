export { validateEvent, type EventVerdict } from './validate-event.js';
export { currencyCodes } from './currencies.js';
export { envelopeSchema, eventTypes, metadataSchemas, type Envelope, type EventType } from './event-schemas.js';
export type { Day15Event, MetadataByType, ValidationIssue } from './event-types.js';
export {
  batchEnvelopeSchema,
  deadLetterListQuerySchema,
  replayRequestSchema,
  replayRequestMessage,
  validateBatchEnvelope,
  type BatchEnvelope,
  type BatchEnvelopeVerdict,
  validateDeadLetterListQuery,
  type DeadLetterListQuery,
  validateReplayRequest,
  type ReplayRequest,
  type InputVerdict,
} from './request-inputs.js';
export {
  decodeSecret,
  signPayload,
  verifySignature,
  type SignatureVerdict,
  type SignedHeaders,
  type SignatureCheck,
} from './webhook-signature.js';
