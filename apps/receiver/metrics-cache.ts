import {
  readMetrics,
  type Money,
  type MetricsDocument,
  type MetricsSource,
  type MetricsWindow,
} from '../../libs/analytics/index.js';

const cacheMs = 1000;

/** Reads the metrics document of one window (see libs/analytics). */
export type ReadMetrics = (window: MetricsWindow) => Promise<MetricsDocument>;

/**
 * One read of the metrics per window per second, shared by /api/metrics, the dashboard and /metrics, so
 * a dashboard left open by many people (or a fast scraper) costs Redis at most one read a second.
 */
export function cachedMetrics(queue: MetricsSource, clock: () => number, money: Money): ReadMetrics {
  const cache = new Map<MetricsWindow, { at: number; document: Promise<MetricsDocument> }>();
  return (window) => {
    const now = clock();
    const hit = cache.get(window);
    if (hit && now - hit.at < cacheMs) return hit.document;
    // A failed read is not cached: the next request tries Redis again (errors are already mapped by the queue).
    const document = readMetrics(queue, { now, window, money }).catch((error: unknown) => {
      cache.delete(window);
      throw error;
    });
    cache.set(window, { at: now, document });
    return document;
  };
}
