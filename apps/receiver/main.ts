import { runWithQueue } from '../../libs/runtime/index.js';
import { createReceiverApp } from './app.js';
import { startServer } from './server.js';

// npm run receiver: the webhook receiver on the configured queue (shared bootstrap: libs/runtime).
runWithQueue('receiver', {
  inMemoryNote:
    'events live in this process only and are lost when it exits; npm run orchestrate runs receiver and consumer together',
  start: async ({ config, logger, queue, settings }) => {
    // Readiness fails first on SIGTERM (GET /readyz 503), then the listener drains.
    const shutdown = { stopping: false };
    const server = await startServer(createReceiverApp({ config, queue, logger, shutdown }), config.webhook);
    logger.info(`Receiver listening on ${server.url}`, settings);
    logger.info(
      `Webhook endpoint: ${server.url}/webhook/events - health: ${server.url}/health - probes: ${server.url}/livez, ${server.url}/readyz`,
    );
    return {
      started: () => {
        if (config.webhook.secrets.length === 0)
          logger.warn('Signature verification is off (DAY15_WEBHOOK_SECRETS unset)');
        else logger.info(`Signature verification is on with ${config.webhook.secrets.length} secret(s)`);
      },
      stop: () => {
        shutdown.stopping = true;
        return server.close();
      },
    };
  },
});
