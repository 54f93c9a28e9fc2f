import type { RequestListener } from 'node:http';
import type { RequestHandler, Router } from 'express';
import { cachedMetrics } from './metrics-cache.js';
import { createPrometheusRegistry, unavailableCounter } from './prometheus.js';
import type { ReceiverDeps } from './receiver-deps.js';
import { adminDeadLetters } from './routes/admin-dead-letters.js';
import { dashboard } from './routes/dashboard.js';
import { getHealth } from './routes/get-health.js';
import { getMetrics } from './routes/get-metrics.js';
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

/** Everything the receiver serves. */
export interface RouteTable {
  /** The endpoints, each yielding its dispatch, its Express mounting and its 405 answer with Allow. */
  endpoints: readonly Route[];
  /**
   * Express routers that keep their own sub-routes and answer other methods 404 (no 405s): the dashboard's
   * page and static files, and the token-guarded admin API (401 before any routing under /admin).
   */
  routers: readonly Router[];
}

/**
 * The receiver's route table, built around its dependencies. `unavailable` counts this receiver's 503
 * answers: the webhooks count theirs, /metrics exports it, and the app's Express error handler shares it.
 */
export function receiverRoutes(deps: ReceiverDeps, unavailable = unavailableCounter()): RouteTable {
  const { config, clock = Date.now } = deps;
  const webhook = webhookListeners(deps, unavailable);
  const webhookRoute = (path: string, limitBytes: number, action: WebhookAction): NodeRoute => ({
    method: 'POST',
    path,
    node: webhook(path, limitBytes, action),
  });
  // One cached read of the metrics document, shared by /api/metrics (and so the dashboard) and /metrics.
  const readMetrics = cachedMetrics(deps.queue, clock);
  return {
    endpoints: [
      webhookRoute('/webhook/events', config.webhook.maxEventBytes, acceptEvent),
      webhookRoute('/webhook/batch', config.webhook.maxBatchBytes, acceptBatch),
      { method: 'GET', path: '/health', express: getHealth(deps) },
      { method: 'GET', path: '/livez', express: getLivez() },
      { method: 'GET', path: '/readyz', express: getReadyz(deps) },
      { method: 'GET', path: '/api/metrics', express: getMetrics(readMetrics) },
      {
        method: 'GET',
        path: '/metrics',
        express: getPrometheusMetrics(createPrometheusRegistry(readMetrics, [unavailable])),
      },
    ],
    routers: [dashboard(), adminDeadLetters({ token: config.webhook.adminToken, queue: deps.queue, clock })],
  };
}
