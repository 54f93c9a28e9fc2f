import type { RequestHandler } from 'express';
import { readWebhookBody } from './read-webhook-body.js';

/**
 * Express middleware that parses a JSON body into req.body with the webhook body reader's rules (type, size,
 * UTF-8, JSON), without signatures: for the JSON bodies outside the webhook hot path (admin routes).
 */
export function expressJsonBody({ limitBytes, clock }: { limitBytes: number; clock: () => number }): RequestHandler {
  return (req, _res, next) => {
    readWebhookBody(req, { limitBytes, keys: [], toleranceMs: 0, now: clock() }).then((body) => {
      req.body = body;
      next();
    }, next);
  };
}
