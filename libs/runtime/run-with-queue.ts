import { redactConfig } from '../config/index.js';
import type { LogFields } from '../logging/index.js';
import {
  createQueue,
  describeRedis,
  durabilityWarnings,
  openRedis,
  layoutRecheckMs,
  PartitionLayoutError,
  type OpenedRedis,
  type PartitionedQueue,
} from '../queue/index.js';
import { runMain, type MainContext, type RunMainOptions } from './run-main.js';

/** What a process that works on the queue is started with. */
export interface QueueContext extends MainContext {
  /** The pipeline's queue on the configured Redis (or the in-process ioredis-mock); Redis may not answer yet. */
  queue: PartitionedQueue;
  /** Resolves once Redis first answers (at once in memory mode). */
  redisReady: Promise<void>;
  /** Fields for the process's settings line: where the queue is, and the configuration with secrets redacted. */
  settings: LogFields;
}

/** A started queue process, as its `start` returns it. */
export interface QueueApp {
  /** Called once the shared start-up warnings are logged: the last step of start-up (e.g. start consuming). */
  started?(): void;
  /** Stops the process's own work (server, consumer); the Redis connection is closed after it. */
  stop(): Promise<void>;
}

/** How one queue process differs from the others. */
export interface RunWithQueueOptions extends RunMainOptions {
  /** What in-memory mode (DAY15_USE_MOCK_REDIS=true) means for this process; logged as `In-memory mode: <note>`. */
  inMemoryNote: string;
  /** Starts the process's own work on the queue and logs its settings line (with `context.settings`). */
  start(context: QueueContext): Promise<QueueApp>;
}

/**
 * Opens the configured Redis for the queue without waiting for it: until Redis first answers, a warning
 * naming its address (with the hint) every 5 s; after that every connection error is logged as a warning
 * (a dropped connection is reported and retried, never a crash).
 */
export function openQueueRedis({ config, logger }: MainContext): OpenedRedis {
  return openRedis(config.redis, {
    onError: (error) => logger.warn('Redis connection error', { error: error.message }),
    onWaiting: (message) => logger.warn(message),
  });
}

/**
 * Exits 1 with the reason and the way out when the data in Redis was written with another number of
 * partitions (the queue refuses to write meanwhile): at start, and, checked again every layoutRecheckMs,
 * when `npm run repartition` switched the layout under a process left running. Redis outages are waited out.
 */
async function refuseOtherLayout(queue: PartitionedQueue, { logger }: MainContext): Promise<never> {
  for (;;) {
    try {
      await queue.verifyLayout();
    } catch (error) {
      if (error instanceof PartitionLayoutError) {
        logger.error(error.message);
        process.exit(1);
      }
    }
    // Unref'd: the checks never keep a stopping process alive.
    await new Promise((resolve) => setTimeout(resolve, layoutRecheckMs + 100).unref());
  }
}

/**
 * The bootstrap of every process that works on the queue (apps/receiver, apps/consumer, apps/pipeline), on
 * top of runMain's lifecycle: open Redis (without waiting for it), create the queue, run `start`, warn about
 * what the Redis setup risks (durability warnings once Redis answers in Redis mode, `inMemoryNote` in memory
 * mode), then `started()`. On
 * SIGTERM/SIGINT the process's own `stop()` runs first, then the Redis connection closes.
 */
export function runWithQueue(component: string, { inMemoryNote, start, ...options }: RunWithQueueOptions): void {
  runMain(
    component,
    async (context) => {
      const { config, logger } = context;
      // Not awaited: the process starts while Redis is away (503s, consumer backoff) and proceeds once it answers.
      const { redis, ready } = openQueueRedis(context);
      const settings = { queue: describeRedis(config.redis), config: redactConfig(config) };
      const queue = createQueue(redis, config);
      const app = await start({ ...context, queue, redisReady: ready, settings });
      void ready.then(() => refuseOtherLayout(queue, context)).catch(() => undefined);
      if (config.redis.useMock) logger.warn(`In-memory mode: ${inMemoryNote}`);
      else
        void ready
          .then(async () => {
            logger.info(`Redis at ${describeRedis(config.redis)} is reachable`);
            for (const warning of await durabilityWarnings(redis)) logger.warn(warning);
          })
          .catch(() => undefined);
      app.started?.();
      return {
        stop: async () => {
          await app.stop();
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    },
    options,
  );
}
