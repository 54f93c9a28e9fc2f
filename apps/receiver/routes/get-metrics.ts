import type { RequestHandler } from 'express';
import { metricsWindows, type MetricsWindow } from '../../../libs/analytics/index.js';
import { HttpError } from '../http-error.js';
import type { ReadMetrics } from '../metrics-cache.js';

/** GET /api/metrics?window=1h|24h|7d: the analytics document (see libs/analytics). */
export function getMetrics(read: ReadMetrics): RequestHandler {
  return async (req, res) => {
    const window = (req.query.window ?? '1h') as MetricsWindow;
    if (!metricsWindows.includes(window)) {
      throw new HttpError({
        status: 400,
        code: 'invalid_window',
        message: `window must be one of: ${metricsWindows.join(', ')}`,
      });
    }
    res.set('Cache-Control', 'no-store').json(await read(window));
  };
}
