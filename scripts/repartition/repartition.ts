import type { ArchiveStore } from '../../libs/archive/index.js';
import { partitionNames, queueKeys, type QueueKeys, type RedisClient } from '../../libs/queue/index.js';
import { archiveOutbox, type ArchivedOutbox } from './archive-outbox.js';
import type { CarriedState } from './carried-state.js';
import { copyLayout, type CopiedKeys } from './copy-layout.js';
import { deleteKeys, inPipelines, keysByPartition } from './key-space.js';
import { surveyLayout } from './survey.js';

export interface RepartitionOptions {
  /** DAY15_KEY_PREFIX. */
  prefix: string;
  /** The queue; the pipeline's (PartitionedQueue's default name) unless given. */
  name?: string;
  /** The new number of partitions. */
  to: number;
  /** Now (ms), against which consumer heartbeats are aged; the archive day the outbox is written to. */
  now?: number;
  /**
   * The archive (DAY15_ARCHIVE_ENABLED) the old layout's outbox entries are written to before the copy;
   * without one, outbox entries refuse the move.
   */
  archive?: Pick<ArchiveStore, 'append' | 'sync'>;
  /** Told after each step that wrote something, so an operator knows where an interruption left things. */
  onStep?: (step: RepartitionStep) => void | Promise<void>;
}

export type RepartitionStep =
  /** The old layout's outbox entries written to the archive, then removed from the outbox. */
  | ({ step: 'archived' } & ArchivedOutbox)
  /** Keys of every layout but the recorded one deleted: what an interrupted run left. */
  | { step: 'cleared'; deleted: number }
  | {
      step: 'copied';
      copied: CopiedKeys;
      written: Record<string, number>;
      carried: CarriedState;
      /** Analytics keys of other generations than the live one, left with the old layout. */
      otherGenerations: number;
    }
  /** The record now names the new number: the commit point. */
  | { step: 'switched'; record: string; to: number }
  | { step: 'deleted'; deleted: number };

export type RepartitionResult =
  | { outcome: 'unchanged'; queue: string; partitions: number; deleted: number }
  | { outcome: 'refused'; queue: string; from?: number; to: number; reasons: string[] }
  | {
      outcome: 'repartitioned';
      queue: string;
      from: number;
      to: number;
      archived: ArchivedOutbox;
      cleared: number;
      copied: CopiedKeys;
      written: Record<string, number>;
      carried: CarriedState;
      otherGenerations: number;
      deleted: number;
    };

/**
 * Moves a drained queue's data from the number of partitions it was written with (the record at
 * `<prefix>:{<name>}:partitions`) to `to`; refuses, writing nothing, while anything could be lost. The
 * analytics move in their live generation only, and the new partitions continue its ack sequence.
 *
 * Crash safety: the two layouts never share a key (partition names carry the number), and the record is
 * what every process goes by. So the run writes the old layout's outbox to the archive (entries leave the
 * outbox only once their lines are durable there), deletes whatever is not the recorded layout (what an
 * interrupted run left), copies the recorded layout into the new one, switches the record with one SET (the
 * commit point), then deletes the old layout. Interrupted before the SET, the old layout is untouched and still the
 * recorded one: running again clears the partial copy and copies again. Interrupted after it, the new
 * layout is complete and recorded: running again (with the same `to`) deletes the rest of the old one. Either
 * way the end state is the one an uninterrupted run reaches.
 */
export async function repartition(redis: RedisClient, options: RepartitionOptions): Promise<RepartitionResult> {
  const { prefix, name = 'events', to } = options;
  partitionNames(name, to); // a RangeError before anything is read
  const record = queueKeys(prefix, name).layout;
  const queue = `${prefix}:{${name}}`;
  const [stored, layouts] = await Promise.all([redis.get(record), keysByPartition(redis, prefix, name)]);
  const otherLayouts = [...layouts.keys()].filter((partition) => partition !== name);
  if (stored === null && otherLayouts.length > 0) {
    const reason =
      `No number of partitions is recorded at ${record}, yet keys of ${otherLayouts.join(', ')} exist: record the ` +
      `number the data was written with (redis-cli SET ${record} <N>) and run this again`;
    return { outcome: 'refused', queue, to, reasons: [reason] };
  }
  // Data from before the record existed was written with one partition (partition-layout.ts).
  const from = stored === null ? 1 : Number(stored);
  const settings = { ...options, name, now: options.now ?? Date.now(), onStep: options.onStep ?? (() => undefined) };
  const run: Run = { redis, options: settings, record, queue };
  if (from === to) {
    return { outcome: 'unchanged', queue, partitions: to, deleted: await clearAllBut(run, from, layouts) };
  }
  return move(run, from, layouts);
}

interface Run {
  redis: RedisClient;
  options: Required<Omit<RepartitionOptions, 'archive'>> & Pick<RepartitionOptions, 'archive'>;
  record: string;
  queue: string;
}

// Survey, archive, clear, copy, check, switch, delete: the steps of the comment above.
async function move(run: Run, from: number, layouts: Map<string, string[]>): Promise<RepartitionResult> {
  const { redis, options, record, queue } = run;
  const { prefix, name, to, now, onStep, archive } = options;
  const refused = (reasons: string[]): RepartitionResult => ({ outcome: 'refused', queue, from, to, reasons });
  const old = partitionNames(name, from).map((partition) => ({ name: partition, keys: queueKeys(prefix, partition) }));
  const oldKeys = old.map((partition) => partition.keys);
  const survey = await surveyLayout(
    redis,
    old.map((partition) => ({ ...partition, found: layouts.get(partition.name) ?? [] })),
    { now, archiving: archive !== undefined },
  );
  if (survey.refusals.length > 0) return refused(survey.refusals);
  const { carried, otherGenerations } = survey;
  const archived = await archiveOutbox(redis, old, archive, now);
  await onStep({ step: 'archived', ...archived });
  const before = await writeMark(redis, oldKeys);
  const cleared = await clearAllBut(run, from, layouts);
  await onStep({ step: 'cleared', deleted: cleared });
  const newNames = partitionNames(name, to);
  const copy = await copyLayout(
    redis,
    survey.moving,
    newNames.map((partition) => queueKeys(prefix, partition)),
    carried,
  );
  const written = Object.fromEntries(newNames.map((partition, i) => [partition, copy.written[i] ?? 0]));
  await onStep({ step: 'copied', copied: copy.copied, written, carried, otherGenerations });
  if ((await writeMark(redis, oldKeys)) !== before) {
    await clearAllBut(run, from);
    return refused([
      'Events were enqueued while the data was copied: a receiver is still running. Stop every receiver and run ' +
        'this again (the copy was discarded; the old layout is still the recorded one)',
    ]);
  }
  await redis.set(record, String(to));
  await onStep({ step: 'switched', record, to });
  const deleted = await clearAllBut(run, to);
  await onStep({ step: 'deleted', deleted });
  return {
    outcome: 'repartitioned',
    queue,
    from,
    to,
    archived,
    cleared,
    copied: copy.copied,
    written,
    carried,
    otherGenerations,
    deleted,
  };
}

// Deletes every key of the queue's layouts but the one of `partitions` (and the record); scans for them
// unless given the keys by partition. Resolves with how many there were.
async function clearAllBut(run: Run, partitions: number, layouts?: Map<string, string[]>): Promise<number> {
  const { prefix, name } = run.options;
  const kept = partitionNames(name, partitions);
  const byPartition = layouts ?? (await keysByPartition(run.redis, prefix, name));
  const doomed = [...byPartition].flatMap(([partition, keys]) => (kept.includes(partition) ? [] : keys));
  return deleteKeys(
    run.redis,
    doomed.filter((key) => key !== run.record),
  );
}

// What every enqueue changes, accepted or duplicate: each partition's counters and ready list. Compared
// before and after the copy, it shows a receiver the operator forgot to stop (Redis cannot list them).
async function writeMark(redis: RedisClient, partitions: readonly QueueKeys[]): Promise<string> {
  const replies = await inPipelines(redis, partitions, {
    keyOf: (keys) => keys.base,
    perItem: 2,
    add: (pipeline, keys) => pipeline.hgetall(keys.counters).llen(keys.ready),
  });
  return JSON.stringify(replies);
}
