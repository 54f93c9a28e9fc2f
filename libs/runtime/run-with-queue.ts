import type { Redis } from 'ioredis';
import { redactConfig } from '../config/index.js';
import type { LogFields } from '../logging/index.js';
import { connectRedis, createQueue, describeRedis, durabilityWarnings, type ReliableQueue } from '../queue/index.js';
import { runMain, type MainContext, type RunMainOptions } from './run-main.js';

/** What a process that works on the queue is started with. */
export interface QueueContext extends MainContext {
  /** The pipeline's queue on the configured Redis (or the in-process ioredis-mock). */
  queue: ReliableQueue;
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
 * Connects to the configured Redis for the queue, logging every connection error as a warning (a dropped
 * connection is reported and retried, never a crash). Rejects when Redis is unreachable at start.
 */
export function connectQueueRedis({ config, logger }: MainContext): Promise<Redis> {
  return connectRedis(config.redis, {
    onError: (error) => logger.warn('Redis connection error', { error: error.message }),
  });
}

/**
 * The bootstrap of every process that works on the queue (apps/receiver, apps/consumer, apps/pipeline), on
 * top of runMain's lifecycle: connect Redis, create the queue, run `start`, then warn about what the Redis
 * setup risks (durability warnings in Redis mode, `inMemoryNote` in memory mode), then `started()`. On
 * SIGTERM/SIGINT the process's own `stop()` runs first, then the Redis connection closes.
 */
export function runWithQueue(component: string, { inMemoryNote, start, ...options }: RunWithQueueOptions): void {
  runMain(
    component,
    async (context) => {
      const { config, logger } = context;
      const redis = await connectQueueRedis(context);
      const settings = { queue: describeRedis(config.redis), config: redactConfig(config) };
      const app = await start({ ...context, queue: createQueue(redis, config), settings });
      if (config.redis.useMock) logger.warn(`In-memory mode: ${inMemoryNote}`);
      else for (const warning of await durabilityWarnings(redis)) logger.warn(warning);
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
