import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/** The realm a browser shows in its log-in prompt. */
const realm = 'Day15 ops';

/** What a request without the ops credential is told (also the OpenAPI example of that answer). */
export const missingCredentialMessage =
  'The ops listener needs its credential: Authorization: Bearer <DAY15_OPS_TOKEN>, or Basic with it as password';

/**
 * Requires the ops credential on every request: `Authorization: Bearer <token>` (scripts, Prometheus) or HTTP
 * Basic with any user name and the token as password (a browser prompts for it, then sends it with every
 * request of the dashboard, its assets and its polls). Anything else answers 401 with a Basic challenge.
 */
export function requireOpsCredentials(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const offered = offeredSecret(req.headers.authorization);
    // Compared as digests, so the comparison takes the same time whatever length or content is offered.
    if (offered !== undefined && timingSafeEqual(digest(offered), expected)) {
      next();
      return;
    }
    next(
      new HttpError({
        status: 401,
        code: 'unauthorized',
        message: missingCredentialMessage,
        headers: { 'WWW-Authenticate': `Basic realm="${realm}", charset="UTF-8"` },
      }),
    );
  };
}

/** The secret in an Authorization header: a Bearer token, or the password of Basic credentials. */
function offeredSecret(authorization: string | undefined): string | undefined {
  const match = /^(Bearer|Basic) +(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const [, scheme = '', value = ''] = match;
  if (scheme.toLowerCase() === 'bearer') return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
