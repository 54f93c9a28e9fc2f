import { Router } from 'express';
import { validateDeadLetterListQuery, validateReplayRequest, type InputVerdict } from '../../../libs/events/index.js';
import type { PartitionedQueue } from '../../../libs/queue/index.js';
import { expressJsonBody } from '../express-json-body.js';
import { HttpError } from '../http-error.js';

/**
 * The dead-letter admin API: list, replay, purge. It lives on the ops listener, which guards it like every
 * ops route (loopback only, or DAY15_OPS_TOKEN; see ops-credentials.ts).
 */
export function adminDeadLetters({
  queue,
  clock,
}: {
  queue: Pick<PartitionedQueue, 'deadLetters'>;
  clock: () => number;
}): Router {
  const router = Router();

  router.get('/admin/dead-letters', async (req, res) => {
    const { limit, offset } = readListPage(req.query);
    const [total, letters] = await Promise.all([queue.deadLetters.count(), queue.deadLetters.list({ offset, limit })]);
    res.json({
      total,
      offset,
      limit,
      items: letters.map((letter) => ({
        event_id: letter.id,
        event: letter.event,
        error: letter.error,
        attempts: letter.attempts,
        first_failed_at: letter.firstFailedAt,
        last_failed_at: letter.lastFailedAt,
        dead_at: letter.deadAt,
      })),
    });
  });

  router.post('/admin/dead-letters/replay', expressJsonBody({ limitBytes: 1_048_576, clock }), async (req, res) => {
    res.json({ replayed: await queue.deadLetters.replay(readReplayRequest(req.body)) });
  });

  router.delete('/admin/dead-letters/:event_id', async (req, res) => {
    const purged = await queue.deadLetters.purge([String(req.params.event_id)]);
    if (purged === 0)
      throw new HttpError({ status: 404, code: 'not_found', message: `No dead letter ${req.params.event_id}` });
    res.json({ purged });
  });
  return router;
}

/** The list page of `?limit=&offset=`, by schema (libs/events); 400 invalid_request names the bad one. */
function readListPage(query: Record<string, unknown>): { limit: number; offset: number } {
  return orBadRequest(validateDeadLetterListQuery(query));
}

/** The replay request body, by schema: `{ "event_ids": [...] }` gives those ids, `{ "all": true }` gives 'all'. */
function readReplayRequest(body: unknown): string[] | 'all' {
  return orBadRequest(validateReplayRequest(body));
}

function orBadRequest<T>(verdict: InputVerdict<T>): T {
  if (verdict.ok) return verdict.value;
  throw new HttpError({ status: 400, code: verdict.error, message: verdict.message });
}
