import { Router } from 'express';
import type { PartitionedQueue } from '../../../libs/queue/index.js';

/**
 * Where is my event: GET /admin/events/:event_id answers its status and since when (EventStatus in
 * libs/queue), 200 `unknown` outside the idempotency window, like any other status. On the ops listener,
 * guarded like every ops route (loopback only, or DAY15_OPS_TOKEN; see ops-credentials.ts).
 */
export function adminEvents({ queue }: { queue: Pick<PartitionedQueue, 'eventStatus'> }): Router {
  const router = Router();
  router.get('/admin/events/:event_id', async (req, res) => {
    res.json(await queue.eventStatus(String(req.params.event_id)));
  });
  return router;
}
