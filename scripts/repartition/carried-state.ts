import type { QueueKeys, RedisClient } from '../../libs/queue/index.js';
import { inPipelines } from './key-space.js';

/** A partition of the layout being moved: its name (partitionNames; the archive's `queue`) and its keys. */
export interface OldPartition {
  name: string;
  keys: QueueKeys;
}

/** What every partition of the new layout starts from, besides the keys copied into it. */
export interface CarriedState {
  /** The live analytics generation, which every old partition agrees on: only its keys are copied. */
  live: number;
  /**
   * The highest ack sequence among the old partitions. Every new partition continues above it, so a user's
   * events moved to another partition still get higher archive `seq` numbers than any they had before.
   */
  sequence: number;
}

/**
 * Reads the old partitions' analytics generations and ack sequences (a pipeline per partition), and says
 * what forbids carrying them over: a generation being built (acks write it beside the live one, and a copy
 * would take neither finished nor whole), or partitions that disagree on the live one (only one can be it).
 */
export async function readCarriedState(
  redis: RedisClient,
  partitions: readonly OldPartition[],
): Promise<{ carried: CarriedState; refusals: string[] }> {
  const replies = await inPipelines(redis, partitions, {
    keyOf: ({ keys }) => keys.base,
    perItem: 2,
    add: (pipeline, { keys }) => pipeline.hmget(keys.generation, 'live', 'building').get(keys.sequence),
  });
  // Absent fields and keys are generation 0, no rebuild, sequence 0 (as generation-2.lua reads them).
  const states = partitions.map(({ name }, i) => {
    const [fields, sequence] = (replies[i] ?? []) as [(string | null)[] | undefined, string | null | undefined];
    const [live, building] = fields ?? [];
    return { name, live: Number(live ?? 0), building: building ?? null, sequence: Number(sequence ?? 0) };
  });
  const refusals: string[] = [];
  const building = states.filter((state) => state.building !== null);
  if (building.length > 0) {
    refusals.push(
      `A rebuild of the analytics is running or was interrupted (${building
        .map((state) => `${state.name} is building generation ${state.building}`)
        .join(', ')}): let it finish, or abort it with npm run rebuild-analytics -- --abort, then run this again`,
    );
  } else if (new Set(states.map((state) => state.live)).size > 1) {
    // Without a generation being built, no abort settles this; a rebuild makes one generation live everywhere.
    refusals.push(
      `The partitions disagree on the live analytics generation (${states
        .map((state) => `${state.name}: ${state.live}`)
        .join(', ')}): run npm run rebuild-analytics to make one generation live in all of them, then run this again`,
    );
  }
  return {
    carried: {
      live: states[0]?.live ?? 0,
      sequence: Math.max(0, ...states.map((state) => state.sequence)),
    },
    refusals,
  };
}
