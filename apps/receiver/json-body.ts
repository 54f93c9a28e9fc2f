import type { RequestHandler } from 'express';
import { readJsonBody } from './read-json-body.js';

// Express adapter of readJsonBody for JSON bodies outside the webhook hot path (admin routes); no signatures.
export function jsonBody({ limitBytes, clock }: { limitBytes: number; clock: () => number }): RequestHandler {
  return (req, _res, next) => {
    readJsonBody(req, { limitBytes, keys: [], toleranceMs: 0, now: clock() }).then((body) => {
      req.body = body;
      next();
    }, next);
  };
}
