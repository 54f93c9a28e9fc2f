export { validateEvent, type EventVerdict } from './validate-event.js';
export { eventTypes, envelopeSchema, metadataSchemas, type EventType } from './event-schemas.js';
export type { Day15Event, MetadataByType, ValidationIssue } from './event-types.js';
export { decodeSecret, signPayload, verifySignature, type SignatureVerdict, type SignedHeaders, type SignatureCheck } from './webhook-signature.js';
