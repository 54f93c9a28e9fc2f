import { configuredArchive, createConsumer } from '../consumer/consumer.js';
import { createReceiverApp } from '../receiver/app.js';
import { startReceiverServers } from '../receiver/receiver-servers.js';
import { runWithQueue } from '../../libs/runtime/index.js';

// In-memory mode (DAY15_USE_MOCK_REDIS=true): ioredis-mock lives inside one process, so receiver and
// consumer must share it. This app runs both on one in-process queue; the orchestrator supervises it. It is
// the one composition app that joins the receiver and consumer cores (see eslint.config.js).
runWithQueue('pipeline', {
  inMemoryNote: 'the queue lives in this process; events not yet processed are lost if it stops',
  start: async ({ config, logger, queue }) => {
    // Readiness fails first on SIGTERM (GET /readyz 503), then the listeners drain.
    const shutdown = { stopping: false };
    const receiverLogger = logger.child({ component: 'receiver' });
    const app = createReceiverApp({ config, queue, logger: receiverLogger, shutdown });
    const servers = await startReceiverServers(app, config, receiverLogger);
    const consumer = createConsumer({
      config,
      queue,
      logger: logger.child({ component: 'consumer' }),
      ...configuredArchive(config),
    });
    consumer.start();
    return {
      stop: async () => {
        shutdown.stopping = true;
        await servers.close();
        await consumer.stop();
      },
    };
  },
});
