import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../../libs/logging/index.js';
import { writeErrorResponse } from './write-json-response.js';

/** The Express error handler: every error answers as toHttpError says (see write-json-response.ts). */
export function expressErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => writeErrorResponse(res, logger, req.path, error);
}
