import type { RequestHandler } from 'express';
import { openApiDocument, type OpenApiServers, type WebhookLimits } from '../openapi/openapi-document.js';

/**
 * GET /openapi.json: the OpenAPI document of both listeners. `servers` is asked on each request because the
 * listeners' URLs are known only once they listen (port 0 picks one); the document is rebuilt only when they change.
 */
export function getOpenApi(servers: () => OpenApiServers, limits: WebhookLimits): RequestHandler {
  let cached: { key: string; body: string } | undefined;
  return (_req, res) => {
    const current = servers();
    const key = `${current.ingestUrl} ${current.opsUrl}`;
    if (cached?.key !== key) cached = { key, body: JSON.stringify(openApiDocument(current, limits)) };
    res.type('application/json').send(cached.body);
  };
}
