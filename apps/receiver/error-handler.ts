import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../../libs/logging/index.js';
import { sendError } from './send-json.js';

// The Express error handler: every error answers as toHttpError says (see send-json.ts).
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => sendError(res, logger, req.path, error);
}
