import type { RequestHandler } from 'express';
import { readMetrics, type MetricsDocument } from '../../../libs/analytics/index.js';
import { QueueUnavailableError } from '../../../libs/queue/index.js';
import type { ReceiverDeps } from '../receiver-deps.js';

const cacheMs = 1000;

// GET /api/metrics: the analytics document, cached for at most a second so a dashboard left open by many
// people costs Redis one read per second.
export function getMetrics({ queue, clock = Date.now }: ReceiverDeps): RequestHandler {
  let cached: { at: number; document: Promise<MetricsDocument> } | undefined;
  return async (_req, res) => {
    const now = clock();
    if (!cached || now - cached.at >= cacheMs) {
      const document = readMetrics(queue, { now }).catch((error: unknown) => {
        cached = undefined;
        throw error instanceof QueueUnavailableError ? error : new QueueUnavailableError('Reading metrics failed', { cause: error });
      });
      cached = { at: now, document };
    }
    res.set('Cache-Control', 'no-store').json(await cached.document);
  };
}
