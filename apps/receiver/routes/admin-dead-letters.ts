import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { ReliableQueue } from '../../../libs/queue/index.js';
import { HttpError } from '../http-error.js';
import { jsonBody } from '../json-body.js';

const maxLimit = 500;

// Dead-letter operations behind `Authorization: Bearer <DAY15_ADMIN_TOKEN>`: list, replay, purge.
// Without a configured token the routes do not exist (404), so nothing is exposed by accident.
export function adminDeadLetters({ token, queue, clock }: {
  token: string | undefined; queue: Pick<ReliableQueue, 'deadLetters'>; clock: () => number;
}): Router {
  const router = Router();
  if (token === undefined) return router;
  const expected = digest(`Bearer ${token}`);
  // Compared as digests, so the comparison is constant-time whatever length the caller sends.
  const authorize: RequestHandler = (req, _res, next) => {
    const offered = digest(req.headers.authorization ?? '');
    next(timingSafeEqual(offered, expected) ? undefined : new HttpError({ status: 401, code: 'unauthorized', message: 'Missing or wrong admin token' }));
  };
  router.use('/admin', authorize);

  router.get('/admin/dead-letters', async (req, res) => {
    const limit = boundedInt(req.query.limit, 50, 1, maxLimit, 'limit');
    const offset = boundedInt(req.query.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'offset');
    const [total, letters] = await Promise.all([queue.deadLetters.count(), queue.deadLetters.list({ offset, limit })]);
    res.json({
      total, offset, limit,
      items: letters.map((letter) => ({
        event_id: letter.id, event: letter.event, error: letter.error, attempts: letter.attempts,
        first_failed_at: letter.firstFailedAt, last_failed_at: letter.lastFailedAt, dead_at: letter.deadAt,
      })),
    });
  });

  router.post('/admin/dead-letters/replay', jsonBody({ limitBytes: 1_048_576, clock }), async (req, res) => {
    const body = req.body as { event_ids?: unknown; all?: unknown } | null;
    const ids = body?.event_ids;
    const all = body?.all === true;
    const validIds = Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string');
    if (all === validIds) {
      throw new HttpError({ status: 400, code: 'invalid_request', message: 'Send either { "event_ids": ["..."] } or { "all": true }' });
    }
    res.json({ replayed: await queue.deadLetters.replay(all ? 'all' : (ids as string[])) });
  });

  router.delete('/admin/dead-letters/:event_id', async (req, res) => {
    const purged = await queue.deadLetters.purge([String(req.params.event_id)]);
    if (purged === 0) throw new HttpError({ status: 404, code: 'not_found', message: `No dead letter ${req.params.event_id}` });
    res.json({ purged });
  });
  return router;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function boundedInt(raw: unknown, fallback: number, min: number, max: number, name: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError({ status: 400, code: 'invalid_request', message: `${name} must be an integer from ${min} to ${max}` });
  }
  return value;
}
