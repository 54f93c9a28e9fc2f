import type { ServerResponse } from 'node:http';
import type { Logger } from '../../libs/logging/index.js';
import type { UnavailableCounter } from './prometheus.js';
import { toHttpError } from './to-http-error.js';

/** Writes a JSON answer with plain node:http (one write, explicit length). */
export function writeJsonResponse(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Answers any error as toHttpError says, and logs it (5xx with details, 4xx briefly): the one error answer of
 * the node:http webhook listeners and of the Express error handler alike. A 503 is counted in `unavailable`.
 */
export function writeErrorResponse(
  res: ServerResponse,
  logger: Logger,
  unavailable: UnavailableCounter,
  path: string,
  error: unknown,
): void {
  const httpError = toHttpError(error);
  if (httpError.status === 503) unavailable.inc({ reason: httpError.code });
  logRejection(logger, path, httpError.status, httpError.code, error);
  writeJsonResponse(
    res,
    httpError.status,
    {
      error: httpError.code,
      ...(httpError.message === httpError.code ? {} : { message: httpError.message }),
      ...httpError.body,
    },
    httpError.headers,
  );
}

// 5xx answers keep their details in the log only; 4xx answers say what was wrong, and are logged briefly.
function logRejection(logger: Logger, path: string, status: number, code: string, error: unknown): void {
  if (status >= 500) logger.error('Request failed', { path, status, error: describe(error) });
  else logger.warn('Request rejected', { path, status, error: code });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
