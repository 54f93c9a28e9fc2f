import type { Day15Config } from '../config/index.js';
import { createLogger, type Logger } from '../logging/index.js';
import { loadConfigOrExit } from './load-config-or-exit.js';

/** A started process, as runMain's `start` returns it. */
export interface MainHandle {
  /** Stops the process's work gracefully; called once on SIGTERM/SIGINT. */
  stop(): Promise<void>;
}

/** What a process is started with: its validated configuration and a logger tagged with its component. */
export interface MainContext {
  config: Day15Config;
  logger: Logger;
}

/** Settings of the shared lifecycle. */
export interface RunMainOptions {
  /** Longest a graceful stop may take before the process exits anyway. */
  shutdownTimeoutMs?: number;
}

/**
 * The one lifecycle every process shares: load the config (a bad value exits 1 with one clear message),
 * start, then on SIGTERM/SIGINT (or when the orchestrator's IPC channel closes) stop gracefully (bounded)
 * and exit 0. A start-up failure, an uncaught exception or an unhandled rejection is logged and exits 1.
 * Processes that work on the queue use runWithQueue, which builds on this.
 */
export function runMain(
  component: string,
  start: (context: MainContext) => Promise<MainHandle>,
  { shutdownTimeoutMs = 10_000 }: RunMainOptions = {},
): void {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.log.level, format: config.log.format, component });
  const fatal = (message: string) => (error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    logger.error(`${message}: ${error instanceof Error ? error.message : String(error)}${cause}`, {
      stack: error instanceof Error ? error.stack : undefined,
    });
    process.exit(1);
  };
  process.on('uncaughtException', fatal('Uncaught exception'));
  process.on('unhandledRejection', fatal('Unhandled rejection'));

  const started = start({ config, logger });
  started.catch(fatal('Start-up failed'));
  // Registered before start-up finishes, so a Ctrl+C during start-up still stops the process cleanly.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('Shutting down', { signal });
    setTimeout(() => {
      logger.error('Graceful shutdown timed out', { timeout_ms: shutdownTimeoutMs });
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    started
      .then((handle) => handle.stop())
      .then(() => {
        logger.info('Stopped');
        process.exit(0);
      }, fatal('Shutdown failed'));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Started by the orchestrator with an IPC channel: when the orchestrator dies, the channel closes and
  // this process stops too, so no orphan keeps running.
  process.once('disconnect', () => shutdown('SIGTERM'));
}
