import type { Day15Config } from '../../libs/config/index.js';
import type { Logger } from '../../libs/logging/index.js';
import type { ReceiverListeners } from './app.js';
import { startServer, type RunningServer } from './server.js';

/** The receiver's two running listeners; `close` drains both. */
export interface ReceiverServers {
  ingest: RunningServer;
  ops: RunningServer;
  close(): Promise<void>;
}

/**
 * Serves the ingest listener on DAY15_WEBHOOK_HOST:PORT and the ops listener on DAY15_OPS_HOST:PORT, and logs
 * where each is (tests and tools read the port from "Receiver listening on" and "Ops listening on").
 */
export async function startReceiverServers(
  listeners: ReceiverListeners,
  config: Pick<Day15Config, 'webhook' | 'ops'>,
  logger: Logger,
  meta?: Record<string, unknown>,
): Promise<ReceiverServers> {
  const ingest = await startServer(listeners.ingest, config.webhook);
  const ops = await startServer(listeners.ops, config.ops).catch(async (error: unknown) => {
    await ingest.close();
    throw error;
  });
  listeners.listening({ ingestUrl: ingest.url, opsUrl: ops.url });
  const { url } = ingest;
  logger.info(`Receiver listening on ${url}`, meta);
  logger.info(`Webhook endpoint: ${url}/webhook/events - health: ${url}/health - probes: ${url}/livez, ${url}/readyz`);
  const guard = config.ops.token === undefined ? 'no credentials (loopback only)' : 'credential DAY15_OPS_TOKEN';
  logger.info(
    `Ops listening on ${ops.url} (${guard}) - dashboard: ${ops.url}/dashboard - metrics: ${ops.url}/api/metrics, ` +
      `${ops.url}/metrics - admin: ${ops.url}/admin/dead-letters - API document: ${ops.url}/openapi.json`,
  );
  return { ingest, ops, close: async () => void (await Promise.all([ingest.close(), ops.close()])) };
}
