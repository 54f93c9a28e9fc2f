import type { RequestHandler } from 'express';
import type { ReceiverDeps } from '../receiver-deps.js';

/** GET /livez: the process is alive and serving HTTP; never touches Redis (a Redis outage is no reason to restart). */
export function getLivez(): RequestHandler {
  return (_req, res) => {
    res.json({ status: 'alive' });
  };
}

/**
 * GET /readyz: 200 when Redis answers a PING and the receiver is not stopping; 503 with the reason
 * otherwise (`shutting_down` from the moment a graceful stop begins, before the listener drains;
 * `redis_unreachable` while Redis does not answer, e.g. at start-up before Redis is up).
 */
export function getReadyz({ queue, shutdown }: Pick<ReceiverDeps, 'queue' | 'shutdown'>): RequestHandler {
  return async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (shutdown?.stopping) {
      res.status(503).json({ status: 'not_ready', reason: 'shutting_down' });
      return;
    }
    try {
      await queue.ping();
    } catch (error) {
      res.status(503).json({ status: 'not_ready', reason: 'redis_unreachable', message: (error as Error).message });
      return;
    }
    // Checked again: a stop may have begun while the PING was in flight.
    if (shutdown?.stopping) res.status(503).json({ status: 'not_ready', reason: 'shutting_down' });
    else res.json({ status: 'ready' });
  };
}
