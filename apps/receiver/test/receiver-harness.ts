import { loadConfig } from '../../../libs/config/index.js';
import { createQueue, type RedisClient } from '../../../libs/queue/index.js';
import { uniquePrefix } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { createReceiverApp } from '../app.js';

/**
 * The receiver as production serves it (createReceiverApp, the listeners main.ts starts), on its own key
 * prefix, configured as a user would (DAY15_* variables); drive `app` (the ingest listener: webhooks, health,
 * probes) and `ops` (dashboard, metrics, admin) with supertest: request(app), request(ops).
 */
export function receiverHarness(redis: RedisClient, env: Record<string, string> = {}, clock?: () => number) {
  const config = loadConfig({ env: { DAY15_KEY_PREFIX: uniquePrefix(), ...env }, envFile: '/nonexistent/.env' });
  const queue = createQueue(redis, config);
  const { logger, lines } = captureLogger('receiver');
  const { ingest: app, ops } = createReceiverApp({ config, queue, logger, clock });
  return { app, ops, queue, config, logs: lines };
}

let counter = 0;

/** A valid event with a fresh id, optionally changed. */
export function anEvent(change: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    event_id: `evt_test_${Date.now()}_${counter}`,
    event_type: 'user_signup',
    user_id: 'user_abc123',
    timestamp: '2026-11-26T10:00:00Z',
    metadata: { source: 'organic', email: 'test@example.com' },
    ...change,
  };
}
