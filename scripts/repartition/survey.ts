import type { RedisClient } from '../../libs/queue/index.js';
import { readCarriedState, type CarriedState, type OldPartition } from './carried-state.js';
import { inPipelines } from './key-space.js';
import { keyClassifier, type Classified } from './key-kinds.js';

/** A consumer whose last heartbeat is more recent than this counts as running (it beats every second). */
const liveHeartbeatMs = 30_000;
/** How many offending keys a refusal names. */
const namedKeys = 10;

/** One partition of the layout being surveyed and the keys found under its hash tag. */
export interface SurveyedPartition extends OldPartition {
  found: readonly string[];
}

export interface SurveyOptions {
  /** Now (ms), against which consumer heartbeats are aged. */
  now: number;
  /** Whether outbox entries can be written to the archive before the copy (DAY15_ARCHIVE_ENABLED). */
  archiving: boolean;
}

/** A key that moves to the new layout: where it came from, what it is, its name after the key base. */
export interface MovingKey {
  partition: number;
  key: string;
  suffix: string;
  kind: Classified;
}

export interface Survey {
  /** The keys to copy: of the analytics, only the live generation's. */
  moving: MovingKey[];
  carried: CarriedState;
  /** Analytics keys of generations other than the live one (a rebuild's leftovers): not copied. */
  otherGenerations: number;
  /** Why the layout may not be moved yet, each with what to do; empty when it may. */
  refusals: string[];
}

/**
 * Reads the layout's keys (types, backlog sizes, consumer heartbeats, outbox sizes, analytics generations)
 * without writing anything, and says what would move and whatever forbids moving it: a backlog or dead
 * letters (they would be lost), a live consumer or rebuild (it would write to the old layout), outbox
 * entries with the archive off (they would be lost), a rebuild's generation or partitions that disagree on
 * the live one (carried-state.ts), or a key of an unknown name or type (it cannot be placed).
 */
export async function surveyLayout(
  redis: RedisClient,
  partitions: readonly SurveyedPartition[],
  { now, archiving }: SurveyOptions,
): Promise<Survey> {
  const found = partitions.flatMap(({ keys, found: partitionKeys }, partition) => {
    const classify = keyClassifier(keys);
    return partitionKeys.map((key) => ({ partition, key, suffix: key.slice(keys.base.length), kind: classify(key) }));
  });
  const types = await inPipelines(redis, found, {
    keyOf: (entry) => entry.key,
    add: (pipeline, entry) => pipeline.type(entry.key),
  });
  // Keys gone since the scan (expired) are left out.
  const present = found.map((entry, i) => ({ ...entry, type: String(types[i]?.[0]) })).filter((e) => e.type !== 'none');
  const misplaced = present.filter((entry) => entry.type !== entry.kind.type);
  const valid = present.filter((entry) => entry.type === entry.kind.type);
  const state = await drainState(redis, valid, now);
  const refusals = drainRefusals(state);
  const unmovable = misplaced.map(({ key, kind, type }) =>
    kind.kind === 'unknown' ? `${key} (not a key Day15 writes)` : `${key} (a ${type}, expected a ${kind.type})`,
  );
  // An event's hash outside every backlog: its state is unknown. Named only once the backlogs are empty,
  // since until then every waiting event has one.
  if (refusals.length === 0) {
    unmovable.push(
      ...valid
        .filter((entry) => entry.kind.kind === 'event')
        .map((entry) => `${entry.key} (an event outside every backlog and the dead letters)`),
    );
  }
  if (unmovable.length > 0) {
    refusals.push(
      `${unmovable.length} key(s) it cannot place in the new layout: ${unmovable.slice(0, namedKeys).join(', ')}` +
        `${unmovable.length > namedKeys ? `, and ${unmovable.length - namedKeys} more` : ''}. Remove them or tell ` +
        'libs/analytics/data-key-kinds.ts how they move',
    );
  }
  const { carried, refusals: generationRefusals } = await readCarriedState(redis, partitions);
  refusals.push(...toolRefusals(state, archiving), ...generationRefusals);
  const moves = new Set<Classified['kind']>(['seen', 'per-user', 'user-scores', 'summable', 'queue hash']);
  const movable = valid.filter((entry) => moves.has(entry.kind.kind)).map(({ type: _type, ...entry }) => entry);
  const isCarried = ({ kind }: MovingKey): boolean =>
    !('generation' in kind) || kind.generation === 'none' || kind.generation === carried.live;
  return {
    moving: movable.filter(isCarried),
    carried,
    otherGenerations: movable.filter((entry) => !isCarried(entry)).length,
    refusals,
  };
}

interface DrainState {
  sizes: { ready: number; 'in flight': number; delayed: number; dead: number };
  /** Consumers with a heartbeat within liveHeartbeatMs, with its age. */
  live: string[];
  /** Entries in the outboxes. */
  outbox: number;
  /** Who holds the rebuild lock (its value), when someone does. */
  rebuildLock?: string;
}

// Backlog sizes, live consumers, outbox sizes and a rebuild lock in the surveyed keys, in one pipeline per
// partition.
async function drainState(
  redis: RedisClient,
  entries: readonly Omit<MovingKey, 'suffix'>[],
  now: number,
): Promise<DrainState> {
  const checked = entries.filter((entry) =>
    ['backlog', 'dead letters', 'consumers', 'outbox', 'rebuild lock'].includes(entry.kind.kind),
  );
  const replies = await inPipelines(redis, checked, {
    keyOf: (entry) => entry.key,
    add: (pipeline, entry) => {
      if (entry.kind.kind === 'consumers') pipeline.hgetall(entry.key);
      else if (entry.kind.kind === 'outbox') pipeline.hlen(entry.key);
      else if (entry.kind.kind === 'rebuild lock') pipeline.get(entry.key);
      else if (entry.kind.type === 'list') pipeline.llen(entry.key);
      else pipeline.zcard(entry.key);
    },
  });
  const state: DrainState = {
    sizes: { ready: 0, 'in flight': 0, delayed: 0, dead: 0 },
    live: [],
    outbox: 0,
  };
  checked.forEach(({ kind }, i) => {
    const reply = replies[i]?.[0];
    if (kind.kind === 'backlog') state.sizes[kind.what] += Number(reply);
    else if (kind.kind === 'dead letters') state.sizes.dead += Number(reply);
    else if (kind.kind === 'outbox') state.outbox += Number(reply);
    // Null when it expired since its type was read: nobody holds it any more.
    else if (kind.kind === 'rebuild lock') state.rebuildLock = reply === null ? undefined : String(reply);
    else {
      for (const [id, at] of Object.entries(reply as Record<string, string>)) {
        const ageMs = now - Number(at);
        if (ageMs < liveHeartbeatMs) state.live.push(`${id} (${Math.max(0, Math.round(ageMs / 1000))} s ago)`);
      }
    }
  });
  return state;
}

// What a backlog, dead letters or a live consumer forbid, each with what to do.
function drainRefusals({ sizes, live }: DrainState): string[] {
  const refusals: string[] = [];
  if (sizes.ready + sizes['in flight'] + sizes.delayed > 0) {
    refusals.push(
      `The queue is not drained: ${sizes.ready} ready, ${sizes['in flight']} in flight, ${sizes.delayed} delayed ` +
        'event(s). Stop the receivers, let the consumers drain the queue, then stop the consumers',
    );
  }
  if (sizes.dead > 0) {
    refusals.push(
      `${sizes.dead} dead letter(s) would be lost: replay them (npm run dlq -- replay --all) and let the consumers ` +
        'process them, or purge them (npm run dlq -- purge --all), first',
    );
  }
  if (live.length > 0) {
    refusals.push(
      `Consumer(s) still running, last heartbeat: ${live.join(', ')}. Stop every consumer first (a crashed one ` +
        `counts as stopped ${liveHeartbeatMs / 1000} s after its last heartbeat)`,
    );
  }
  return refusals;
}

// What a running rebuild and outbox entries the archive cannot take forbid, each with what to do.
function toolRefusals({ outbox, rebuildLock }: DrainState, archiving: boolean): string[] {
  const refusals: string[] = [];
  if (rebuildLock !== undefined) {
    refusals.push(`npm run rebuild-analytics is running (${rebuildLock}): let it finish, then run this again`);
  }
  if (outbox > 0 && !archiving) {
    refusals.push(
      `${outbox} archive outbox entr(ies) hold lines not yet in the archive, which is off ` +
        '(DAY15_ARCHIVE_ENABLED=false): turn it on and run this again, which writes them to DAY15_ARCHIVE_DIR ' +
        'first (they would be lost otherwise)',
    );
  }
  return refusals;
}
