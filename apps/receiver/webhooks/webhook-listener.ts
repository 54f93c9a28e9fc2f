import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { decodeSecret } from '../../../libs/events/index.js';
import type { UnavailableCounter } from '../prometheus.js';
import { readWebhookBody } from '../read-webhook-body.js';
import type { ReceiverDeps } from '../receiver-deps.js';
import { writeErrorResponse, writeJsonResponse } from '../write-json-response.js';
import type { WebhookAction, WebhookContext } from './webhook-types.js';

/** Builds the node:http listener of one webhook route: its path (for the logs), body size limit and action. */
export type WebhookListenerFactory = (path: string, limitBytes: number, action: WebhookAction) => RequestListener;

/**
 * The webhook endpoints as plain node:http listeners, so the hot path carries no framework cost: each reads
 * the body (type, size, signature, JSON), runs its action and writes the answer or the error (a 503 counted
 * in `unavailable`).
 */
export function webhookListeners(deps: ReceiverDeps, unavailable: UnavailableCounter): WebhookListenerFactory {
  const { config, queue, logger, clock = Date.now } = deps;
  const keys = config.webhook.secrets.map(decodeSecret);
  return (path, limitBytes, action) => (req: IncomingMessage, res: ServerResponse) => {
    const ctx: WebhookContext = {
      queue,
      logger,
      clock,
      maxQueueDepth: config.webhook.maxQueueDepth,
      maxBatchEvents: config.webhook.maxBatchEvents,
      receivedAt: clock(),
      startedAt: performance.now(),
    };
    readWebhookBody(req, { limitBytes, keys, toleranceMs: config.webhook.signatureToleranceMs, now: ctx.receivedAt })
      .then((body) => action(body, ctx))
      .then(
        (answer) => writeJsonResponse(res, answer.status, answer.body),
        (error: unknown) => writeErrorResponse(res, logger, unavailable, path, error),
      );
  };
}
