import { configDefault } from '../../../libs/config/index.js';
import { buildOperation } from './build-operation.js';
import { ingestPaths, type WebhookLimits } from './ingest-paths.js';
import type { JsonObject, OpenApiServers, OperationSpec } from './openapi-types.js';
import { opsPaths } from './ops-paths.js';
import { requestSchemas } from './request-schemas.js';
import { responseSchemas } from './response-schemas.js';

export type { OpenApiServers } from './openapi-types.js';
export type { WebhookLimits } from './ingest-paths.js';

/** The limits of a receiver with the default configuration. */
const defaultLimits: WebhookLimits = {
  maxEventBytes: Number(configDefault('DAY15_MAX_EVENT_BYTES')),
  maxBatchEvents: Number(configDefault('DAY15_MAX_BATCH_EVENTS')),
  maxBatchBytes: Number(configDefault('DAY15_MAX_BATCH_BYTES')),
};

// Any one of these satisfies an ops operation (an OpenAPI security requirement list is either-or).
const opsSecurity = [{ opsBearer: [] }, { opsBasic: [] }];

/**
 * The OpenAPI 3.1 document of the receiver's two listeners: each path names its listener as its server
 * (ingest: webhooks, health, probes; ops: dashboard, metrics, admin, this document). Request schemas are the
 * ones libs/events validates with; `limits` are the running receiver's, so the documented limits are real.
 */
export function openApiDocument(servers: OpenApiServers, limits: WebhookLimits = defaultLimits): JsonObject {
  const pathItems = (
    paths: Record<string, Record<string, OperationSpec>>,
    server: { url: string; description: string },
    tag: string,
    security?: unknown[],
  ) =>
    Object.fromEntries(
      Object.entries(paths).map(([path, operations]) => [
        path,
        {
          servers: [server],
          ...Object.fromEntries(
            Object.entries(operations).map(([method, spec]) => [
              method,
              { ...buildOperation(spec, [tag]), ...(security ? { security } : {}) },
            ]),
          ),
        },
      ]),
    );
  return {
    openapi: '3.1.1',
    info: {
      title: 'Day15 receiver',
      version: '1.0.0',
      description:
        'Webhook events in, live SaaS analytics out. The receiver serves two listeners: **ingest** ' +
        '(DAY15_WEBHOOK_HOST:DAY15_WEBHOOK_PORT) for senders, and **ops** (DAY15_OPS_HOST:DAY15_OPS_PORT) for ' +
        'operators, which needs DAY15_OPS_TOKEN as a Bearer token or Basic password when it is set (it may be ' +
        'unset only on loopback). Every error is JSON: { "error": "<code>", "message": "..." }. Other paths ' +
        'answer 404; other methods on a documented path answer 405 with Allow. Each request example is paired ' +
        'with the response example of the same name, under the status it is answered with. What OpenAPI cannot ' +
        'say about an example is on each of its parts: `x-day15-request` (`plain`: sent with no parameters and ' +
        'no body; `credential: none`: sent without the ops credential) and `x-day15-receiver` (the condition ' +
        'of the receiver that gives this answer: its `name`, a `description` and the DAY15_* `settings` it ' +
        'needs; without it, a receiver with the defaults and DAY15_OPS_TOKEN set).',
    },
    tags: [
      { name: 'ingest', description: 'Webhooks, health and probes: the listener senders reach.' },
      {
        name: 'ops',
        description: 'Dashboard, metrics and the admin API (dead letters, event status): for operators only.',
      },
    ],
    paths: {
      ...pathItems(ingestPaths(limits), { url: servers.ingestUrl, description: 'ingest listener' }, 'ingest'),
      ...pathItems(opsPaths, { url: servers.opsUrl, description: 'ops listener' }, 'ops', opsSecurity),
    },
    components: {
      schemas: { ...requestSchemas(limits.maxBatchEvents), ...responseSchemas },
      securitySchemes: {
        opsBearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <DAY15_OPS_TOKEN>' },
        opsBasic: { type: 'http', scheme: 'basic', description: 'any user name, DAY15_OPS_TOKEN as password' },
      },
    },
  };
}
