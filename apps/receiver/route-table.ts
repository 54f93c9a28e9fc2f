import type { RequestListener } from 'node:http';
import type { RequestHandler, Router } from 'express';
import { opsEndpoint } from '../../libs/config/index.js';
import type { OpenApiServers } from './openapi/openapi-document.js';
import { cachedMetrics } from './metrics-cache.js';
import { createPrometheusRegistry, unavailableCounter } from './prometheus.js';
import type { ReceiverDeps } from './receiver-deps.js';
import { adminDeadLetters } from './routes/admin-dead-letters.js';
import { adminEvents } from './routes/admin-events.js';
import { dashboard } from './routes/dashboard.js';
import { getHealth } from './routes/get-health.js';
import { getMetrics } from './routes/get-metrics.js';
import { getOpenApi } from './routes/get-openapi.js';
import { getPrometheusMetrics } from './routes/get-prometheus-metrics.js';
import { getLivez, getReadyz } from './routes/get-probes.js';
import { acceptBatch } from './webhooks/accept-batch.js';
import { acceptEvent } from './webhooks/accept-event.js';
import { webhookListeners } from './webhooks/webhook-listener.js';
import type { WebhookAction } from './webhooks/webhook-types.js';

/** The HTTP methods the route table serves. */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** An endpoint served by a plain node:http listener: dispatched before Express on its exact path (the hot path). */
export interface NodeRoute {
  method: HttpMethod;
  path: string;
  node: RequestListener;
}

/** An endpoint served by an Express handler. */
export interface ExpressRoute {
  method: HttpMethod;
  path: string;
  express: RequestHandler;
}

/** One endpoint of the receiver: the only place its method and path are written (see routing.ts for what derives from it). */
export type Route = NodeRoute | ExpressRoute;

/** Everything one listener serves. */
export interface RouteTable {
  /** The endpoints, each yielding its dispatch, its Express mounting and its 405 answer with Allow. */
  endpoints: readonly Route[];
  /**
   * Express routers that keep their own sub-routes and answer other methods 404 (no 405s): the dashboard's
   * page and static files, and the admin API.
   */
  routers: readonly Router[];
}

/**
 * The receiver's two listeners. `ingest` faces the senders (often the internet): the webhooks, /health and
 * the probes, nothing else. `ops` faces the operators: the business numbers, metrics and the admin API, on
 * loopback or behind DAY15_OPS_TOKEN (see app.ts).
 */
export interface ReceiverRoutes {
  ingest: RouteTable;
  ops: RouteTable;
}

/**
 * The receiver's route tables, built around its dependencies. `unavailable` counts this receiver's 503
 * answers: the webhooks count theirs, /metrics exports it, and each listener's Express error handler shares it.
 * `servers` says where the listeners are, for the OpenAPI document (known for sure only once they listen).
 */
export function receiverRoutes(
  deps: ReceiverDeps,
  unavailable = unavailableCounter(),
  servers: () => OpenApiServers = () => configuredServers(deps.config),
): ReceiverRoutes {
  const { config, clock = Date.now } = deps;
  const webhook = webhookListeners(deps, unavailable);
  const webhookRoute = (path: string, limitBytes: number, action: WebhookAction): NodeRoute => ({
    method: 'POST',
    path,
    node: webhook(path, limitBytes, action),
  });
  // One cached read of the metrics document, shared by /api/metrics (and so the dashboard) and /metrics.
  const readMetrics = cachedMetrics(deps.queue, clock, deps.config.analytics);
  return {
    ingest: {
      endpoints: [
        webhookRoute('/webhook/events', config.webhook.maxEventBytes, acceptEvent),
        webhookRoute('/webhook/batch', config.webhook.maxBatchBytes, acceptBatch),
        { method: 'GET', path: '/health', express: getHealth(deps) },
        { method: 'GET', path: '/livez', express: getLivez() },
        { method: 'GET', path: '/readyz', express: getReadyz(deps) },
      ],
      routers: [],
    },
    ops: {
      endpoints: [
        { method: 'GET', path: '/api/metrics', express: getMetrics(readMetrics) },
        {
          method: 'GET',
          path: '/metrics',
          express: getPrometheusMetrics(createPrometheusRegistry(readMetrics, [unavailable])),
        },
        { method: 'GET', path: '/openapi.json', express: getOpenApi(servers, config.webhook) },
      ],
      routers: [dashboard(), adminDeadLetters({ queue: deps.queue, clock }), adminEvents({ queue: deps.queue })],
    },
  };
}

/** The listeners' URLs as configured (a wildcard ingest address shown as localhost, as in the start-up log). */
export function configuredServers(config: ReceiverDeps['config']): OpenApiServers {
  return { ingestUrl: `http://localhost:${config.webhook.port}`, opsUrl: opsEndpoint(config).url };
}
