export type { MainContext, MainHandle, RunMainOptions } from './run-main.js';
export { runWithQueue, type QueueApp, type QueueContext, type RunWithQueueOptions } from './run-with-queue.js';
export { loadConfigOrExit } from './load-config-or-exit.js';
