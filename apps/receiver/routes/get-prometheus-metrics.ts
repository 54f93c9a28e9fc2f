import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/** GET /metrics: the Prometheus text exposition of `registry` (see prometheus.ts). */
export function getPrometheusMetrics(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
}
