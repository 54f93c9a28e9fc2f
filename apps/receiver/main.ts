import { redactConfig } from '../../libs/config/index.js';
import { connectRedis, createQueue, describeRedis, durabilityWarnings } from '../../libs/queue/index.js';
import { runMain } from '../../libs/runtime/index.js';
import { createReceiverListener } from './app.js';
import { startServer } from './server.js';

runMain('receiver', async ({ config, logger }) => {
  const redis = await connectRedis(config.redis, { onError: (error) => logger.warn('Redis connection error', { error: error.message }) });
  const server = await startServer(createReceiverListener({ config, queue: createQueue(redis, config), logger }), config.webhook);
  logger.info(`Receiver listening on ${server.url}`, { queue: describeRedis(config.redis), config: redactConfig(config) });
  logger.info(`Webhook endpoint: ${server.url}/webhook/events - health: ${server.url}/health`);
  if (!config.redis.useMock) for (const warning of await durabilityWarnings(redis)) logger.warn(warning);
  if (config.redis.useMock) {
    logger.warn('In-memory mode: events live in this process only and are lost when it exits; npm run orchestrate runs receiver and consumer together');
  }
  if (config.webhook.secrets.length === 0) logger.warn('Signature verification is off (DAY15_WEBHOOK_SECRETS unset)');
  else logger.info(`Signature verification is on with ${config.webhook.secrets.length} secret(s)`);
  return {
    stop: async () => {
      await server.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
});
