import { runWithQueue } from '../../libs/runtime/index.js';
import { createConsumer } from './consumer.js';

// npm run consumer: one batch consumer on the configured queue (shared bootstrap: libs/runtime).
runWithQueue('consumer', {
  inMemoryNote:
    'this consumer sees only events queued inside its own process; npm run orchestrate runs receiver and consumer together',
  start: async ({ config, logger, queue, settings }) => {
    const consumer = createConsumer({ config, queue, logger });
    logger.info('Consumer settings', settings);
    return { started: () => consumer.start(), stop: () => consumer.stop() };
  },
});
