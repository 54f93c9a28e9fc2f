import { missingCredentialMessage } from '../ops-credentials.js';
import type { ExampleSpec, OperationSpec, ResponseSpec } from './openapi-types.js';
import { schemaRef } from './request-schemas.js';

// Every ops operation sits behind the ops credential (see openapi-document.ts for the security schemes), so
// each documents the 401 that requireOpsCredentials answers.

const unauthorized: ResponseSpec = {
  description:
    'No or wrong credential (when DAY15_OPS_TOKEN is set): send `Authorization: Bearer <token>`, or Basic with ' +
    'the token as password.',
  schema: schemaRef('Error'),
  headers: {
    'WWW-Authenticate': {
      description: 'a Basic challenge, realm "Day15 ops"',
      schema: { type: 'string', pattern: '^Basic realm="Day15 ops"' },
    },
  },
};

/** The 503 of an ops operation that reads Redis. */
export const unavailable: ResponseSpec = {
  description: 'Redis is unreachable; retry later.',
  schema: schemaRef('Error'),
};

/**
 * An ops operation: its own responses, plus the 401 every ops request may get, with an example of a request
 * sent without the credential (`request` gives it the parts the operation needs, else it is the bare request).
 */
export function guarded(spec: OperationSpec, request: Pick<ExampleSpec, 'body' | 'params'> = {}): OperationSpec {
  const unauthorizedExample: ExampleSpec = {
    summary: 'Missing credential',
    ...(request.body === undefined && request.params === undefined ? { plain: true } : request),
    withoutCredential: true,
    status: 401,
    response: { error: 'unauthorized', message: missingCredentialMessage },
  };
  return {
    ...spec,
    responses: { ...spec.responses, 401: unauthorized },
    examples: { ...spec.examples, unauthorized: unauthorizedExample },
  };
}
