import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { freePort } from '../support/redis-server.js';

// The pipeline's real processes in Redis mode against a given Redis and key prefix.
export function pipelineEnv(redisUrl: string, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: redisUrl, DAY15_KEY_PREFIX: prefix, DAY15_LEASE_SECONDS: '1',
    DAY15_RETRY_DELAY_SECONDS: '0.05', ...extra,
  };
}

export async function startReceiver(env: Record<string, string>): Promise<{ receiver: AppProcess; url: string }> {
  const port = await freePort();
  const receiver = startAppProcess('apps/receiver/main.ts', { ...env, DAY15_WEBHOOK_PORT: String(port) });
  await receiver.waitForLine(/Receiver listening on/);
  return { receiver, url: `http://127.0.0.1:${port}` };
}

export async function startConsumer(env: Record<string, string>): Promise<AppProcess> {
  const consumer = startAppProcess('apps/consumer/main.ts', env);
  await consumer.waitForLine(/Consumer started/);
  return consumer;
}
