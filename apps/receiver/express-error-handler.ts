import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../../libs/logging/index.js';
import type { UnavailableCounter } from './prometheus.js';
import { writeErrorResponse } from './write-json-response.js';

/** The Express error handler: every error answers as toHttpError says (see write-json-response.ts); 503s are counted. */
export function expressErrorHandler(logger: Logger, unavailable: UnavailableCounter): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => writeErrorResponse(res, logger, unavailable, req.path, error);
}
