import type { QueueKeys } from '../queue/index.js';
import { analyticsKeys } from './analytics-keys.js';
import { dataKeyKind, type DataKeyKind } from './data-key-kinds.js';

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

/**
 * The kind and generation of an analytics data name (after the key base): `g<n>:<name>` (generationPrefix)
 * is `<name>` in generation n, an unprefixed name is generation 0, or no generation for the names outside
 * them (isGenerational), which are never prefixed. Undefined for names Day15 does not write.
 */
export function generationalKind(name: string): (DataKeyKind & { generation: number | 'none' }) | undefined {
  const prefixed = /^g([1-9]\d*):(.*)$/.exec(name);
  const unprefixed = prefixed?.[2] ?? name;
  const kind = dataKeyKind(unprefixed);
  if (!kind) return undefined;
  if (!isGenerational(unprefixed)) return prefixed ? undefined : { ...kind, generation: 'none' };
  return { ...kind, generation: prefixed ? Number(prefixed[1]) : 0 };
}
