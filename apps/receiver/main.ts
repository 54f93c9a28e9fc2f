import { runWithQueue } from '../../libs/runtime/index.js';
import { createReceiverApp } from './app.js';
import { startReceiverServers } from './receiver-servers.js';

// npm run receiver: the webhook receiver on the configured queue (shared bootstrap: libs/runtime).
runWithQueue('receiver', {
  inMemoryNote:
    'events live in this process only and are lost when it exits; npm run orchestrate runs receiver and consumer together',
  start: async ({ config, logger, queue, settings }) => {
    // Readiness fails first on SIGTERM (GET /readyz 503), then the listeners drain.
    const shutdown = { stopping: false };
    const app = createReceiverApp({ config, queue, logger, shutdown });
    const servers = await startReceiverServers(app, config, logger, settings);
    return {
      started: () => {
        if (config.webhook.secrets.length === 0)
          logger.warn('Signature verification is off (DAY15_WEBHOOK_SECRETS unset)');
        else logger.info(`Signature verification is on with ${config.webhook.secrets.length} secret(s)`);
      },
      stop: () => {
        shutdown.stopping = true;
        return servers.close();
      },
    };
  },
});
