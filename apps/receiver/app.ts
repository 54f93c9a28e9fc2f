import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { errorHandler } from './error-handler.js';
import { HttpError } from './http-error.js';
import { cachedMetrics } from './metrics-cache.js';
import { createPrometheusRegistry } from './prometheus.js';
import type { ReceiverDeps } from './receiver-deps.js';
import { adminDeadLetters } from './routes/admin-dead-letters.js';
import { dashboard } from './routes/dashboard.js';
import { getHealth } from './routes/get-health.js';
import { getMetrics } from './routes/get-metrics.js';
import { createWebhookHandlers, type WebhookHandlers } from './webhook-handler.js';

export type { ReceiverDeps } from './receiver-deps.js';

// Builds the receiver's Express app; it never listens (see server.ts), so tests drive it with supertest.
export function createReceiverApp(deps: ReceiverDeps): Express {
  return buildApp(deps, createWebhookHandlers(deps));
}

// What the server listens with: webhook requests go straight to their node:http handlers (no framework on
// the hot path), everything else through the Express app, which mounts the same handlers.
export function createReceiverListener(deps: ReceiverDeps): RequestListener {
  const webhooks = createWebhookHandlers(deps);
  const app = buildApp(deps, webhooks);
  return (req, res) => (webhooks.route(req) ?? app)(req, res);
}

function buildApp(deps: ReceiverDeps, webhooks: WebhookHandlers): Express {
  const { config, logger, clock = Date.now } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.post('/webhook/events', webhooks.events);
  app.post('/webhook/batch', webhooks.batch);
  app.get('/health', getHealth(deps));
  const readMetrics = cachedMetrics(deps.queue, clock);
  app.get('/api/metrics', getMetrics(readMetrics));
  const prometheus = createPrometheusRegistry(readMetrics);
  app.get('/metrics', async (_req, res) => {
    res.type(prometheus.contentType).send(await prometheus.metrics());
  });

  app.use(dashboard());
  app.use(adminDeadLetters({ token: config.webhook.adminToken, queue: deps.queue, clock }));

  for (const [path, allowed] of [['/webhook/events', 'POST'], ['/webhook/batch', 'POST'], ['/health', 'GET'], ['/api/metrics', 'GET'], ['/metrics', 'GET']] as const) {
    app.all(path, (_req, res) => {
      res.set('Allow', allowed).status(405).json({ error: 'method_not_allowed', message: `Use ${allowed} ${path}` });
    });
  }
  app.use((req, _res, next) => next(new HttpError({ status: 404, code: 'not_found', message: `No route for ${req.method} ${req.path}` })));
  app.use(errorHandler(logger));
  return app;
}
