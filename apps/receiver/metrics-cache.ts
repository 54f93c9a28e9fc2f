import { readMetrics, type MetricsDocument, type MetricsWindow } from '../../libs/analytics/index.js';
import { QueueUnavailableError, type ReliableQueue } from '../../libs/queue/index.js';

const cacheMs = 1000;

/** Reads the metrics document of one window (see libs/analytics). */
export type ReadMetrics = (window: MetricsWindow) => Promise<MetricsDocument>;

/**
 * One read of the metrics per window per second, shared by /api/metrics, the dashboard and /metrics, so
 * a dashboard left open by many people (or a fast scraper) costs Redis at most one read a second.
 */
export function cachedMetrics(queue: Pick<ReliableQueue, 'keys' | 'stats' | 'redis'>, clock: () => number): ReadMetrics {
  const cache = new Map<MetricsWindow, { at: number; document: Promise<MetricsDocument> }>();
  return (window) => {
    const now = clock();
    const hit = cache.get(window);
    if (hit && now - hit.at < cacheMs) return hit.document;
    const document = readMetrics(queue, { now, window }).catch((error: unknown) => {
      cache.delete(window);
      throw error instanceof QueueUnavailableError ? error : new QueueUnavailableError('Reading metrics failed', { cause: error });
    });
    cache.set(window, { at: now, document });
    return document;
  };
}
