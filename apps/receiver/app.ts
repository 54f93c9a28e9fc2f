import type { RequestListener } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { Logger } from '../../libs/logging/index.js';
import { expressErrorHandler } from './express-error-handler.js';
import { HttpError } from './http-error.js';
import { requireOpsCredentials } from './ops-credentials.js';
import { unavailableCounter, type UnavailableCounter } from './prometheus.js';
import type { ReceiverDeps } from './receiver-deps.js';
import type { OpenApiServers } from './openapi/openapi-document.js';
import { configuredServers, receiverRoutes, type RouteTable } from './route-table.js';
import { mountMethodNotAllowed, mountRoutes, nodeDispatch } from './routing.js';

export type { ReceiverDeps } from './receiver-deps.js';

/** The receiver's two request listeners; main.ts serves each on its own address (see route-table.ts). */
export interface ReceiverListeners {
  /** Webhooks, /health and the probes: the one a sender (often the internet) reaches. */
  ingest: RequestListener;
  /** Dashboard, metrics, admin API: loopback only, or behind DAY15_OPS_TOKEN. */
  ops: RequestListener;
  /** Tells the app where its listeners are once they listen (the servers of GET /openapi.json). */
  listening(urls: OpenApiServers): void;
}

/**
 * The receiver: the listeners that production serves (see server.ts) and tests drive (supertest accepts
 * them). Webhook POSTs on their exact paths go straight to their node:http listeners (no framework on the
 * hot path); every other request goes through Express. All of it derives from the route tables.
 */
export function createReceiverApp(deps: ReceiverDeps): ReceiverListeners {
  // This receiver's 503 answers, counted wherever they are written and exported on its /metrics.
  const unavailable = unavailableCounter();
  let servers = configuredServers(deps.config);
  const routes = receiverRoutes(deps, unavailable, () => servers);
  const token = deps.config.ops.token;
  return {
    listening: (urls) => {
      servers = urls;
    },
    ingest: listener(routes.ingest, deps.logger, unavailable),
    // The credential check comes first, so without it nothing answers, not even a 404 that confirms a path.
    ops: listener(routes.ops, deps.logger, unavailable, token === undefined ? [] : [requireOpsCredentials(token)]),
  };
}

function listener(
  { endpoints, routers }: RouteTable,
  logger: Logger,
  unavailable: UnavailableCounter,
  guards: RequestHandler[] = [],
): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const guard of guards) app.use(guard);
  mountRoutes(app, endpoints);
  for (const router of routers) app.use(router);
  mountMethodNotAllowed(app, endpoints);
  app.use(notFound);
  app.use(expressErrorHandler(logger, unavailable));

  // A guarded listener takes no short cut past its guards: Express serves its node routes too (mountRoutes).
  if (guards.length > 0) return app;
  const hotPath = nodeDispatch(endpoints);
  return (req, res) => (hotPath(req) ?? app)(req, res);
}

const notFound: RequestHandler = (req, _res, next) =>
  next(new HttpError({ status: 404, code: 'not_found', message: `No route for ${req.method} ${req.path}` }));
