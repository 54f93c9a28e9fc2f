import { readMetrics } from '../../../libs/analytics/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { createQueue, type RedisClient } from '../../../libs/queue/index.js';
import { uniquePrefix } from '../../../test/support/backends.js';
import { waitForDrained, waitUntil } from '../../../tools/wait.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { createConsumer, type ConsumerDeps } from '../consumer.js';

// A consumer on its own key prefix, configured through DAY15_* variables like a user would.
export function consumerHarness(
  redis: RedisClient,
  env: Record<string, string> = {},
  extra: Partial<ConsumerDeps> = {},
) {
  const config = loadConfig({
    env: { DAY15_KEY_PREFIX: uniquePrefix(), DAY15_RETRY_DELAY_SECONDS: '0.01', ...env },
    envFile: '/nonexistent/.env',
  });
  const queue = createQueue(redis, config);
  const { logger, lines } = captureLogger('consumer');
  const consumer = createConsumer({ config, queue, logger, ...extra });
  const send = async (events: Record<string, unknown>[]) => {
    const receivedAt = new Date().toISOString();
    return queue.enqueue(
      events.map((e) => ({ id: String(e.event_id), body: JSON.stringify({ ...e, received_at: receivedAt }) })),
    );
  };
  const metrics = () => readMetrics(queue);
  // Nothing left to claim, retry or finish in Redis. The consumer logs a batch only after its ack returns,
  // so a test asserting on log lines waits for them with logged() as well.
  const drained = (timeoutMs = 20_000) => waitForDrained(queue, { timeoutMs });
  const count = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
  // Waits until at least `times` log lines match.
  const logged = (pattern: RegExp, times = 1, timeoutMs = 20_000) =>
    waitUntil(
      async () => count(pattern) >= times,
      timeoutMs,
      () => `${times} line(s) matching ${pattern}, have ${count(pattern)}; last lines: ${lines.slice(-5).join(' | ')}`,
    );
  return { config, queue, consumer, logs: lines, send, metrics, drained, logged };
}

let counter = 0;
export function signup(change: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    event_id: `evt_c_${Date.now()}_${counter}`,
    event_type: 'user_signup',
    user_id: `user_${counter}`,
    timestamp: new Date().toISOString(),
    metadata: { source: 'organic', country: 'US' },
    ...change,
  };
}
