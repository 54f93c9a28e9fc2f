import type { IncomingMessage, RequestListener } from 'node:http';
import type { Express } from 'express';
import type { HttpMethod, Route } from './route-table.js';

const expressVerb = { GET: 'get', POST: 'post', DELETE: 'delete' } as const satisfies Record<HttpMethod, string>;

/**
 * The fast dispatch of the node:http routes: the listener for a request whose method and path (query
 * string aside) are exactly a node route's, else undefined (the request goes to Express).
 */
export function nodeDispatch(routes: readonly Route[]): (req: IncomingMessage) => RequestListener | undefined {
  const byMethod = new Map<string, Map<string, RequestListener>>();
  for (const route of routes) {
    if (!('node' in route)) continue;
    let byPath = byMethod.get(route.method);
    if (!byPath) byMethod.set(route.method, (byPath = new Map()));
    byPath.set(route.path, route.node);
  }
  return (req) => {
    const byPath = byMethod.get(req.method ?? '');
    const url = req.url;
    if (byPath === undefined || url === undefined) return undefined;
    const query = url.indexOf('?');
    return byPath.get(query === -1 ? url : url.slice(0, query));
  };
}

/**
 * Mounts every route on Express, in table order. The node routes are mounted too: Express matches paths
 * loosely (a trailing slash, any letter case), and those requests must reach the same listener as the
 * exact path does on the fast dispatch.
 */
export function mountRoutes(app: Express, routes: readonly Route[]): void {
  for (const route of routes) {
    app.route(route.path)[expressVerb[route.method]]('node' in route ? route.node : route.express);
  }
}

/** Mounts, for each routed path, the 405 answer to every other method, naming the allowed ones in `Allow`. */
export function mountMethodNotAllowed(app: Express, routes: readonly Route[]): void {
  const methodsByPath = new Map<string, HttpMethod[]>();
  for (const { path, method } of routes) methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method]);
  for (const [path, methods] of methodsByPath) {
    const allowed = methods.join(', ');
    app.all(path, (_req, res) => {
      res
        .set('Allow', allowed)
        .status(405)
        .json({ error: 'method_not_allowed', message: `Use ${allowed} ${path}` });
    });
  }
}
