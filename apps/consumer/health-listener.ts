import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Consumer } from './consumer.js';

export interface HealthListenerOptions {
  consumer: Pick<Consumer, 'lastCycleAt'>;
  /** Ready while the loop reached Redis within this long (it waits at most the batch timeout between claims). */
  readyWithinMs: number;
  /** True from the moment the consumer begins to stop: readiness fails first. */
  stopping: () => boolean;
  clock?: () => number;
}

/**
 * The consumer's probes for a service manager (DAY15_CONSUMER_HEALTH_PORT): `GET /livez` answers while the
 * process runs; `GET /readyz` answers 200 while the loop has reached Redis recently and 503 otherwise. They
 * say nothing about business numbers, so they need no credentials.
 */
export function healthListener({ consumer, readyWithinMs, stopping, clock = Date.now }: HealthListenerOptions) {
  return createServer((req, res) => {
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?', 1)[0];
    if (req.method !== 'GET') return send(405, { error: 'method_not_allowed', message: 'Use GET' });
    if (path === '/livez') return send(200, { status: 'alive' });
    if (path !== '/readyz') return send(404, { error: 'not_found', message: 'GET /livez or /readyz' });
    if (stopping()) return send(503, { status: 'not_ready', reason: 'shutting_down' });
    const last = consumer.lastCycleAt();
    if (last === undefined || clock() - last > readyWithinMs) {
      return send(503, {
        status: 'not_ready',
        reason: 'redis_unreachable',
        last_cycle_ms_ago: last === undefined ? null : clock() - last,
      });
    }
    return send(200, { status: 'ready', last_cycle_ms_ago: clock() - last });
  });
}

/** Listens on `port` (0 picks a free one) and resolves with the bound port and a close function. */
export async function startHealthListener(
  server: Server,
  port: number,
): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
