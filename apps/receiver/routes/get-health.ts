import type { RequestHandler } from 'express';
import type { ReceiverDeps } from '../receiver-deps.js';

/** GET /health: one Redis round trip; 503 when Redis does not answer. */
export function getHealth({ config, queue, logger, clock = Date.now }: ReceiverDeps): RequestHandler {
  const startedAt = clock();
  const mode = config.redis.useMock ? 'memory' : 'redis';
  return async (_req, res) => {
    try {
      const stats = await queue.stats();
      res.json({
        status: 'healthy',
        mode,
        queue_depth: stats.ready,
        in_flight: stats.inFlight,
        delayed: stats.delayed,
        dead_letters: stats.dead,
        uptime_s: Math.round((clock() - startedAt) / 1000),
      });
    } catch (error) {
      logger.warn('Health check failed', { error: (error as Error).message });
      res.status(503).json({ status: 'unhealthy', mode, error: 'redis_unreachable' });
    }
  };
}
