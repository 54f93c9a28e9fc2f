import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { decodeSecret } from '../../libs/events/index.js';
import type { Answer } from './routes/post-event.js';
import { acceptEvent } from './routes/post-event.js';
import { acceptBatch } from './routes/post-batch.js';
import type { WebhookContext } from './enqueue-events.js';
import { readJsonBody } from './read-json-body.js';
import type { ReceiverDeps } from './receiver-deps.js';
import { sendError, sendJson } from './send-json.js';

export interface WebhookHandlers {
  events: RequestListener;
  batch: RequestListener;
  /** The handler for a webhook request, or undefined for any other request. */
  route(req: IncomingMessage): RequestListener | undefined;
}

// The two webhook endpoints as plain node:http handlers: the hot path carries no framework cost. The
// Express app mounts the same handlers, so tests through the app test exactly this code.
export function createWebhookHandlers(deps: ReceiverDeps): WebhookHandlers {
  const { config, queue, logger, clock = Date.now } = deps;
  const keys = config.webhook.secrets.map(decodeSecret);
  const handler = (path: string, limitBytes: number, action: (body: unknown, ctx: WebhookContext) => Promise<Answer>): RequestListener =>
    (req: IncomingMessage, res: ServerResponse) => {
      const ctx: WebhookContext = {
        queue, logger, clock, maxQueueDepth: config.webhook.maxQueueDepth, maxBatchEvents: config.webhook.maxBatchEvents,
        receivedAt: clock(), startedAt: performance.now(),
      };
      readJsonBody(req, { limitBytes, keys, toleranceMs: config.webhook.signatureToleranceMs, now: ctx.receivedAt })
        .then((body) => action(body, ctx))
        .then((answer) => sendJson(res, answer.status, answer.body), (error: unknown) => sendError(res, logger, path, error));
    };
  const events = handler('/webhook/events', config.webhook.maxEventBytes, acceptEvent);
  const batch = handler('/webhook/batch', config.webhook.maxBatchBytes, acceptBatch);
  return {
    events,
    batch,
    route(req) {
      if (req.method !== 'POST' || !req.url) return undefined;
      const path = req.url.split('?', 1)[0];
      return path === '/webhook/events' ? events : path === '/webhook/batch' ? batch : undefined;
    },
  };
}
