import { createConsumer } from '../apps/consumer/consumer.js';
import { createReceiverListener } from '../apps/receiver/app.js';
import { startServer } from '../apps/receiver/server.js';
import { connectRedis, createQueue } from '../libs/queue/index.js';
import { runMain } from '../libs/runtime/index.js';

// In-memory mode (DAY15_USE_MOCK_REDIS=true): ioredis-mock lives inside one process, so receiver and
// consumer must share it. This entry point runs both on one in-process queue; the orchestrator supervises it.
runMain('pipeline', async ({ config, logger }) => {
  const redis = await connectRedis(config.redis, { onError: (error) => logger.warn('Redis connection error', { error: error.message }) });
  const queue = createQueue(redis, config);
  const server = await startServer(createReceiverListener({ config, queue, logger: logger.child({ component: 'receiver' }) }), config.webhook);
  const consumer = createConsumer({ config, queue, logger: logger.child({ component: 'consumer' }) });
  consumer.start();
  logger.info(`Receiver listening on ${server.url}`);
  logger.warn('In-memory mode: the queue lives in this process; events not yet processed are lost if it stops');
  return {
    stop: async () => {
      await server.close();
      await consumer.stop();
      redis.disconnect();
    },
  };
});
