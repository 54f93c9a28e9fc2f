import { redactConfig } from '../../libs/config/index.js';
import { connectRedis, createQueue, describeRedis, durabilityWarnings } from '../../libs/queue/index.js';
import { runMain } from '../../libs/runtime/index.js';
import { createConsumer } from './consumer.js';

runMain('consumer', async ({ config, logger }) => {
  const redis = await connectRedis(config.redis, { onError: (error) => logger.warn('Redis connection error', { error: error.message }) });
  const consumer = createConsumer({ config, queue: createQueue(redis, config), logger });
  logger.info('Consumer settings', { queue: describeRedis(config.redis), config: redactConfig(config) });
  if (!config.redis.useMock) for (const warning of await durabilityWarnings(redis)) logger.warn(warning);
  if (config.redis.useMock) {
    logger.warn('In-memory mode: this consumer sees only events queued inside its own process; npm run orchestrate runs receiver and consumer together');
  }
  consumer.start();
  return {
    stop: async () => {
      await consumer.stop();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
});
