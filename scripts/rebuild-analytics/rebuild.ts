import { placementKey, type EffectContext } from '../../libs/analytics/index.js';
import { openArchiveQuery, outboxLines, type ArchiveProblem, type ArchiveStore } from '../../libs/archive/index.js';
import { validateEvent, type Day15Event } from '../../libs/events/index.js';
import type { Effect, GenerationState, PartitionedQueue, RedisClient, ReliableQueue } from '../../libs/queue/index.js';
import { deleteOtherGenerations } from './generation-cleanup.js';
import { acquireRebuildLock } from './rebuild-lock.js';

export interface RebuildDeps {
  redis: RedisClient;
  queue: PartitionedQueue;
  /** DAY15_KEY_PREFIX and the queue name, for finding the keys of old generations. */
  prefix: string;
  name?: string;
  store: ArchiveStore;
  /** The analytics rules to rebuild with (the current ones, libs/analytics effectsFor). */
  effectsFor: (event: Day15Event, context: EffectContext) => Effect[];
  baseCurrency: string;
  /** Progress and problems, one line each. */
  report: (line: string) => void;
  clock?: () => number;
  /** Events per backfill call. */
  batchSize?: number;
  /** Awaited once the cut is made, before the replay: the fault tests kill processes at that point. */
  afterCut?: () => Promise<void>;
}

export interface RebuildResult {
  generation: number;
  replaced: number;
  /** Events replayed from the archive (acked before the cut); the ones acked since went in through the acks. */
  replayed: number;
  /** Archived events the current rules refuse (invalid under today's schema, or a rule threw). */
  skipped: number;
  problems: number;
  /** Per partition: the last ack-order number before the cut. */
  cuts: Record<string, number>;
  deletedKeys: number;
  ms: number;
}

/** The rebuild lost its generation to another one (or an abort) while it ran; nothing it built is used. */
export class RebuildReplacedError extends Error {}

/**
 * Recomputes the analytics from the archive into a new generation while traffic flows, then switches readers
 * to it. Exactly once: at the cut (generation-2.lua `begin`, atomic with the acks of each partition) every
 * ack from then on writes the new generation too, and takes ack-order numbers above the cut; every ack
 * before it has its lines in the archive or still in the outbox (committed by the ack itself), with numbers
 * at or below the cut. So the replay takes exactly the events numbered up to the cut (deduped by event id),
 * in ack order per partition, and no event is in the new generation twice or missing. Readers follow
 * partition 0's live generation, which switches first; the other partitions keep writing both until they
 * switch, so readers never see a partly switched state.
 */
export async function rebuildAnalytics(deps: RebuildDeps, options: { from?: string } = {}): Promise<RebuildResult> {
  const { redis, queue, report } = deps;
  const clock = deps.clock ?? Date.now;
  const started = clock();
  await queue.verifyLayout();
  const lock = await acquireRebuildLock(
    redis,
    queue.home.keys.rebuildLock,
    `pid ${process.pid} since ${new Date(started).toISOString()}`,
  );
  try {
    const { live, states } = await finishInterruptedSwitch(queue);
    const generation = Math.max(live, ...states.map((state) => state.building ?? 0)) + 1;
    const cuts: Record<string, number> = {};
    for (const partition of queue.partitions) {
      cuts[partition.name] = (await partition.generationStep('begin', generation)).seq;
    }
    report(`Building generation ${generation} (live: ${live}); cut at ${JSON.stringify(cuts)}`);
    await deps.afterCut?.();
    // Left by interrupted rebuilds: nobody writes them any more.
    await deleteOtherGenerations(redis, queue, deps.prefix, deps.name ?? 'events', [live, generation]);

    let problems = 0;
    const onProblem = (problem: ArchiveProblem) => {
      problems += 1;
      report(`archive: ${problem.source}:${problem.line}: ${problem.problem} (skipped)`);
    };
    // Lines still in the outbox are read before the files: an entry removed meanwhile was written before.
    const outbox = (await queue.outboxEntries()).flatMap(outboxLines);
    const archive = await openArchiveQuery({
      store: deps.store,
      range: options.from ? { from: options.from } : {},
      extraLines: outbox,
      onProblem,
    });
    let replayed = 0;
    let skipped = 0;
    try {
      const replay = new Backfill(queue, generation, deps.batchSize ?? 500);
      for await (const row of archive.stream(beforeCutSql(cuts))) {
        const event = validateEvent(typeof row.event === 'string' ? JSON.parse(row.event) : row.event);
        if (!event.ok) {
          skipped += 1;
          report(`skipped ${String(row.event_id)}: invalid under the current schema`);
          continue;
        }
        let effects: Effect[];
        try {
          effects = deps.effectsFor(event.event, { now: Number(row.processed_ms), baseCurrency: deps.baseCurrency });
        } catch (error) {
          skipped += 1;
          report(`skipped ${event.event.event_id}: a rule failed: ${(error as Error).message}`);
          continue;
        }
        await replay.add(event.event, effects);
        replayed += 1;
      }
      await replay.flush();
    } finally {
      await archive.close();
    }

    await switchTo(queue, generation);
    const deletedKeys = await deleteOtherGenerations(redis, queue, deps.prefix, deps.name ?? 'events', [generation]);
    const ms = clock() - started;
    report(
      `Switched to generation ${generation}: ${replayed} events replayed, ${skipped} skipped, ${problems} bad lines`,
    );
    return { generation, replaced: live, replayed, skipped, problems, cuts, deletedKeys, ms };
  } finally {
    await lock.release();
  }
}

/** Stops building (`npm run rebuild-analytics -- --abort`): acks stop writing the unfinished generation, which is deleted. */
export async function abortRebuild(
  deps: Pick<RebuildDeps, 'redis' | 'queue' | 'prefix' | 'name'>,
): Promise<number | null> {
  const { redis, queue } = deps;
  const lock = await acquireRebuildLock(redis, queue.home.keys.rebuildLock, `abort by pid ${process.pid}`);
  try {
    const { live, states } = await finishInterruptedSwitch(queue);
    const building = states.find((state) => state.building !== null)?.building ?? null;
    for (const [i, partition] of queue.partitions.entries()) {
      const state = states[i] as GenerationState;
      if (state.building !== null) await partition.generationStep('abort', state.building);
    }
    await deleteOtherGenerations(redis, queue, deps.prefix, deps.name ?? 'events', [live]);
    return building;
  } finally {
    await lock.release();
  }
}

// A rebuild that died between switching partition 0 and the others left them building what readers already
// read; they switch now, before anything else (another begin would make them stop writing it). Returns the
// live generation (partition 0's) and every partition's state after that.
async function finishInterruptedSwitch(queue: PartitionedQueue): Promise<{ live: number; states: GenerationState[] }> {
  const states = await Promise.all(queue.partitions.map((partition) => partition.generationStateNow()));
  const live = states[0]?.live ?? 0;
  for (const [i, partition] of queue.partitions.entries()) {
    if (states[i]?.building === live) states[i] = await partition.generationStep('switch', live);
  }
  return { live, states };
}

// Partition 0 first: readers follow it, and the others still write both generations until they switch.
async function switchTo(queue: PartitionedQueue, generation: number): Promise<void> {
  for (const partition of queue.partitions) {
    const state = await partition.generationStep('switch', generation);
    if (state.live !== generation) {
      throw new RebuildReplacedError(
        `Partition ${partition.name} is no longer building generation ${generation} (another rebuild or an abort replaced it)`,
      );
    }
  }
}

// The archived events acked before the cut, in ack order: a partition of the current layout up to its cut,
// any other queue (an earlier layout, drained before it was replaced) entirely.
function beforeCutSql(cuts: Record<string, number>): string {
  const names = Object.keys(cuts);
  const conditions = names.map((name) => `(queue = '${name}' AND seq <= ${cuts[name]})`);
  const others = `queue NOT IN (${names.map((name) => `'${name}'`).join(', ')})`;
  return `SELECT event_id, event, processed_ms FROM events WHERE ${[...conditions, others].join(' OR ')} ORDER BY seq, queue`;
}

/** Replayed effects gathered per partition and sent in batches, in order, to the generation being built. */
class Backfill {
  private readonly pending = new Map<ReliableQueue, Effect[][]>();

  constructor(
    private readonly queue: PartitionedQueue,
    private readonly generation: number,
    private readonly batchSize: number,
  ) {}

  async add(event: Day15Event, effects: Effect[]): Promise<void> {
    const partition = this.queue.partitionFor(placementKey(event) ?? event.event_id);
    const batch = this.pending.get(partition) ?? [];
    batch.push(effects);
    this.pending.set(partition, batch);
    if (batch.length >= this.batchSize) await this.flush();
  }

  // Every partition's batch at once; a partition's batches go one after another, so its order holds.
  async flush(): Promise<void> {
    const batches = [...this.pending];
    this.pending.clear();
    const applied = await Promise.all(
      batches.map(([partition, effects]) => partition.backfill(this.generation, effects.flat())),
    );
    if (applied.includes(false)) {
      throw new RebuildReplacedError(
        `Generation ${this.generation} is no longer being built (another rebuild or an abort replaced it)`,
      );
    }
  }
}
