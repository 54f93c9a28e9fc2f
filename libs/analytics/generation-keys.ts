import type { QueueKeys } from '../queue/index.js';
import { analyticsKeys } from './analytics-keys.js';

/**
 * Whether the analytics data `name` belongs to a generation: everything computed from events does, so
 * `npm run rebuild-analytics` can build a new generation beside the live one and switch. Restarts are counted
 * by the orchestrator, not computed from events; no rebuild could recompute them, so they stay outside.
 */
export function isGenerational(name: string): boolean {
  return name !== analyticsKeys.restarts;
}

/** The Redis key of the analytics data `name` as readers of generation `generation` find it. */
export function analyticsKeyOf(
  keys: Pick<QueueKeys, 'data' | 'generationData'>,
  generation: number,
  name: string,
): string {
  return isGenerational(name) ? keys.generationData(generation, name) : keys.data(name);
}
