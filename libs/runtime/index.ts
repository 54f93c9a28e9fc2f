export { runMain, type MainContext, type MainHandle, type RunMainOptions } from './run-main.js';
export { runWithQueue, connectQueueRedis, type QueueApp, type QueueContext, type RunWithQueueOptions } from './run-with-queue.js';
export { loadConfigOrExit } from './load-config-or-exit.js';
