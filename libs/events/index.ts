export { validateEvent, type EventVerdict } from './validate-event.js';
export { eventTypes, envelopeSchema, metadataSchemas, maxMetadataDepth, type Envelope, type EventType } from './event-schemas.js';
export type { Day15Event, MetadataByType, ValidationIssue } from './event-types.js';
export {
  batchEnvelopeSchema, validateBatchEnvelope, type BatchEnvelope, type BatchEnvelopeVerdict,
  deadLetterListQuerySchema, validateDeadLetterListQuery, type DeadLetterListQuery,
  replayRequestSchema, replayRequestMessage, validateReplayRequest, type ReplayRequest,
  type InputVerdict,
} from './request-inputs.js';
export { decodeSecret, signPayload, verifySignature, type SignatureVerdict, type SignedHeaders, type SignatureCheck } from './webhook-signature.js';
