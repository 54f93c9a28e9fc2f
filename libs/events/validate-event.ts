import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  envelopeSchema,
  eventTypes,
  maxMetadataDepth,
  metadataSchemas,
  type Envelope,
  type EventType,
} from './event-schemas.js';
import type { Day15Event, ValidationIssue } from './event-types.js';
import { currencyCodes } from './currencies.js';

/** validateEvent's answer: the event, typed, or every reason it is refused (one per path). */
export type EventVerdict = { ok: true; event: Day15Event } | { ok: false; issues: ValidationIssue[] };

// One ajv instance, every schema compiled once at import.
// allowUnionTypes: extra metadata values may be any JSON type (see metadataValue).
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv, ['date-time', 'email']);

const checkEnvelope = ajv.compile<Envelope>(envelopeSchema);
const checkMetadata = new Map<EventType, ValidateFunction>(
  eventTypes.map((type) => [type, ajv.compile(metadataSchemas[type])]),
);

/**
 * Checks an already-parsed JSON value against the event contract (envelopeSchema, then the metadata schema of
 * its event_type); never throws. Issues name the offending JSON Pointer and say what is wrong.
 */
export function validateEvent(input: unknown): EventVerdict {
  if (!checkEnvelope(input)) return { ok: false, issues: toIssues(checkEnvelope.errors, '') };
  const checkTypeMetadata = checkMetadata.get(input.event_type);
  if (input.metadata !== undefined && checkTypeMetadata && !checkTypeMetadata(input.metadata)) {
    return { ok: false, issues: toIssues(checkTypeMetadata.errors, '/metadata') };
  }
  // The metadata was just checked against the schema of this event_type, which is what Day15Event pairs them by.
  return { ok: true, event: input as Day15Event };
}

// One issue per path (the first rule broken), so "" is reported as too short, not also as off-pattern.
function toIssues(errors: ErrorObject[] | null | undefined, base: string): ValidationIssue[] {
  const byPath = new Map<string, ValidationIssue>();
  for (const error of errors ?? []) {
    if (error.keyword === 'propertyNames') continue;
    const issue = toIssue(error, base);
    if (!byPath.has(issue.path)) byPath.set(issue.path, issue);
  }
  return [...byPath.values()];
}

function toIssue(error: ErrorObject, base: string): ValidationIssue {
  const path = base + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${path}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${path}/${String(params.additionalProperty)}`, message: 'is not an allowed field' };
    case 'enum': {
      // A long list (the currency codes) is named by what it is rather than printed.
      const allowed = params.allowedValues as unknown[];
      if (allowed === currencyCodes) return { path, message: 'must be an ISO 4217 currency code, e.g. USD, EUR, GBP' };
      return { path, message: `must be one of: ${allowed.join(', ')}` };
    }
    case 'not':
      return { path, message: 'is a reserved key name and not allowed' };
    case 'type':
      if (error.schemaPath.includes('scalarAtMaxDepth')) {
        return { path, message: `is nested too deeply: metadata values nest at most ${maxMetadataDepth} levels` };
      }
      return { path, message: error.message ?? 'has the wrong type' };
    case 'format':
      return {
        path,
        message: `must be a valid ${String(params.format)}${params.format === 'date-time' ? ' (RFC 3339, e.g. 2026-11-26T10:00:00Z)' : ''}`,
      };
    default:
      return { path, message: error.message ?? 'is invalid' };
  }
}
