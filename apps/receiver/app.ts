import type { RequestListener } from 'node:http';
import express, { type RequestHandler } from 'express';
import { expressErrorHandler } from './express-error-handler.js';
import { HttpError } from './http-error.js';
import { unavailableCounter } from './prometheus.js';
import type { ReceiverDeps } from './receiver-deps.js';
import { receiverRoutes } from './route-table.js';
import { mountMethodNotAllowed, mountRoutes, nodeDispatch } from './routing.js';

export type { ReceiverDeps } from './receiver-deps.js';

/**
 * The receiver: the one request listener that production serves (see server.ts) and tests drive (supertest
 * accepts it). Webhook POSTs on their exact paths go straight to their node:http listeners (no framework on
 * the hot path); every other request goes through Express. All of it derives from the route table.
 */
export function createReceiverApp(deps: ReceiverDeps): RequestListener {
  // This receiver's 503 answers, counted wherever they are written and exported on its /metrics.
  const unavailable = unavailableCounter();
  const { endpoints, routers } = receiverRoutes(deps, unavailable);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  mountRoutes(app, endpoints);
  for (const router of routers) app.use(router);
  mountMethodNotAllowed(app, endpoints);
  app.use(notFound);
  app.use(expressErrorHandler(deps.logger, unavailable));

  const hotPath = nodeDispatch(endpoints);
  return (req, res) => (hotPath(req) ?? app)(req, res);
}

const notFound: RequestHandler = (req, _res, next) =>
  next(new HttpError({ status: 404, code: 'not_found', message: `No route for ${req.method} ${req.path}` }));
