import { runWithQueue } from '../../libs/runtime/index.js';
import { configuredArchive, createConsumer } from './consumer.js';
import { healthListener, startHealthListener } from './health-listener.js';

// npm run consumer: one batch consumer on the configured queue (shared bootstrap: libs/runtime).
runWithQueue('consumer', {
  inMemoryNote:
    'this consumer sees only events queued inside its own process; npm run orchestrate runs receiver and consumer together',
  start: async ({ config, logger, queue, settings, redisReady }) => {
    const consumer = createConsumer({ config, queue, logger, ...configuredArchive(config) });
    logger.info('Consumer settings', settings);
    let stopping = false;
    // Optional probes (DAY15_CONSUMER_HEALTH_PORT): ready while the loop reached Redis within the longest a
    // batch may wait to fill, plus 10 s of slack.
    const { healthPort } = config.processing;
    const probes =
      healthPort > 0
        ? await startHealthListener(
            healthListener({
              consumer,
              readyWithinMs: config.processing.batchTimeoutMs + 10_000,
              stopping: () => stopping,
            }),
            healthPort,
          )
        : undefined;
    if (probes) logger.info(`Consumer probes on port ${probes.port}: GET /livez, GET /readyz`);
    return {
      // Claims begin once Redis first answers (ioredis reconnects with backoff meanwhile, and a warning names the
      // address every 5 s): a consumer whose Redis is still connecting does not start with a failed claim and an
      // outage backoff that holds the first events back.
      started: () => void redisReady.then(() => stopping || consumer.start()),
      stop: async () => {
        stopping = true;
        await consumer.stop();
        await probes?.close();
      },
    };
  },
});
