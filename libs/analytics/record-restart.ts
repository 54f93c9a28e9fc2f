import type { PartitionedQueue } from '../queue/index.js';
import { analyticsKeys } from './analytics-keys.js';

/**
 * Counts one restart of a pipeline process where every process reports (the queue's hash tag), so it shows
 * in /metrics (day15_process_restarts_total) and on the dashboard whichever receiver serves them.
 */
export function recordRestart(queue: Pick<PartitionedQueue, 'incrementData'>, processName: string): Promise<void> {
  return queue.incrementData(analyticsKeys.restarts, processName);
}
