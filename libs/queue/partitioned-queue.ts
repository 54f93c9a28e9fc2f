import { mostInformative } from './event-status.js';
import { PartitionedDeadLetters, type DeadLetterStore } from './partitioned-dead-letters.js';
import { verifyPartitionLayout } from './partition-layout.js';
import { partitionNames, partitionOfHash, partitionOfKey, placementHash } from './partition-placement.js';
import { QueueUnavailableError } from './queue-errors.js';
import { ReliableQueue, type QueueOptions } from './reliable-queue.js';
import type { OutboxEntry } from './outbox.js';
import type {
  AckItem,
  AckVerdict,
  Claim,
  EnqueueVerdict,
  EventStatus,
  FailItem,
  FailVerdict,
  QueueCounters,
  QueueItem,
  QueueStats,
} from './queue-types.js';

/** How long a layout check holds before the next operation checks again (see verifyLayout). */
export const layoutRecheckMs = 10_000;

export interface PartitionedQueueOptions extends Omit<QueueOptions, 'partition'> {
  /** DAY15_PARTITIONS: 1 keeps the single-partition layout and keys. */
  partitions?: number;
}

/**
 * The pipeline's queue: one logical queue split into partitions, each a ReliableQueue under its own hash
 * tag, so Redis Cluster spreads them over its shards. An event's partition follows its placement key (the
 * user id), so per-user state and dedupe keys live with its events. Every script still runs on one
 * partition, so a batch is atomic per partition, not across them. Consumers claim from every partition
 * with work, in equal shares; reads and admin operations cover all partitions.
 */
export class PartitionedQueue {
  readonly partitions: readonly ReliableQueue[];
  /** Partition 0: queue-wide bookkeeping (consumer heartbeats, rejected counts, restarts) lives here. */
  readonly home: ReliableQueue;
  readonly deadLetters: DeadLetterStore;
  private readonly name: string;
  private layoutChecked: Promise<void> | undefined;
  private layoutCheckedAt = 0;
  /** Rotates which busy partition gets the remainder of a claim's shares, so none is always last. */
  private cursor = 0;

  constructor(private readonly options: PartitionedQueueOptions) {
    this.name = options.name ?? 'events';
    this.partitions = partitionNames(this.name, options.partitions ?? 1).map(
      (name, partition) => new ReliableQueue({ ...options, name, partition }),
    );
    this.home = this.partitions[0] as ReliableQueue;
    this.deadLetters =
      this.partitions.length === 1
        ? this.home.deadLetters
        : new PartitionedDeadLetters(this.partitions.map((partition) => partition.deadLetters));
  }

  /** The partition an item with this placement key (or, without one, this id) goes to. */
  partitionFor(placementKey: string): ReliableQueue {
    return this.partitions[partitionOfKey(placementKey, this.partitions.length)] as ReliableQueue;
  }

  /**
   * Checks that the data in Redis was written with this number of partitions, recording it on first use
   * (partition-layout.ts); PartitionLayoutError when it was not. Every operation that writes new data
   * (enqueue, claim, recovery, heartbeats and counts) waits for it, so nothing is written under another
   * layout. The answer is kept for layoutRecheckMs, then checked again (one GET), so a process left running
   * by mistake across `npm run repartition` stops writing within that time. A Redis outage does not stick:
   * the next call checks again.
   */
  verifyLayout(): Promise<void> {
    const now = (this.options.clock ?? Date.now)();
    if (now - this.layoutCheckedAt > layoutRecheckMs) this.layoutChecked = undefined;
    if (this.layoutChecked === undefined) {
      this.layoutCheckedAt = now;
      this.layoutChecked = verifyPartitionLayout(this.options.redis, {
        prefix: this.options.prefix,
        name: this.name,
        partitions: this.partitions.length,
      }).catch((error: unknown) => {
        this.layoutChecked = undefined;
        throw error;
      });
    }
    return this.layoutChecked;
  }

  /**
   * Enqueues each partition's share of the items in one atomic step per partition, all partitions at once.
   * If any partition fails, the whole call fails (nothing may be promised), though other partitions may
   * have stored their share: the sender's retry finds those as duplicates. Copies of one id in a request
   * all go where its first copy goes, so the enqueue script sees them as repeats. The ready-depth limit
   * applies to each partition as its share, maxReadyDepth / partitions rounded up.
   */
  async enqueue(items: readonly QueueItem[], { maxReadyDepth = 0 } = {}): Promise<EnqueueVerdict[]> {
    await this.verifyLayout();
    const n = this.partitions.length;
    if (n === 1) return this.home.enqueue(items, { maxReadyDepth });
    const placed = new Map<string, number>();
    const partitionOf = (item: QueueItem): number => {
      const partition = placed.get(item.id) ?? partitionOfHash(placementHash(item), n);
      placed.set(item.id, partition);
      return partition;
    };
    const depth = Math.ceil(maxReadyDepth / n);
    return this.byPartition(items, partitionOf, (queue, share) => queue.enqueue(share, { maxReadyDepth: depth }));
  }

  /**
   * Leases up to `max` events from the partitions that have work: two plain reads per partition find them
   * (an idle partition costs no writes), then each gets an equal share of `max`, claimed all at once. What
   * a partition could not fill goes, in another round, to the partitions that filled their share (they may
   * have more), so a batch fills whenever there is work, and a deep partition never starves the others.
   */
  async claim(consumerId: string, max: number, leaseMs: number): Promise<Claim[]> {
    await this.verifyLayout();
    if (this.partitions.length === 1) return this.home.claim(consumerId, max, leaseMs);
    const withWork = await Promise.all(this.partitions.map((partition) => partition.hasWork()));
    let candidates = this.partitions.filter((_, i) => withWork[i]);
    const claimed: Claim[] = [];
    while (claimed.length < max && candidates.length > 0) {
      const shares = this.shares(max - claimed.length, candidates.length);
      const rounds = await Promise.all(
        candidates.map((partition, j) => {
          const share = shares[j] ?? 0;
          return share > 0 ? partition.claim(consumerId, share, leaseMs) : Promise.resolve([]);
        }),
      );
      claimed.push(...rounds.flat());
      candidates = candidates.filter((_, j) => (shares[j] ?? 0) > 0 && rounds[j]?.length === shares[j]);
    }
    return claimed;
  }

  // `total` split over `count` partitions as evenly as integers allow; the remainder's extra ones start at a
  // rotating position, so no partition is always the one left out when total < count.
  private shares(total: number, count: number): number[] {
    const first = this.cursor++ % count;
    return Array.from(
      { length: count },
      (_, j) => Math.floor(total / count) + ((j - first + count) % count < total % count ? 1 : 0),
    );
  }

  /** Whether any partition has ready events or due retries (plain reads, no writes). */
  async hasWork(): Promise<boolean> {
    const answers = await Promise.all(this.partitions.map((partition) => partition.hasWork()));
    return answers.some(Boolean);
  }

  async ping(): Promise<void> {
    await this.home.ping();
  }

  async countRejected(labels: readonly string[]): Promise<void> {
    await this.verifyLayout();
    await this.home.countRejected(labels);
  }

  async heartbeat(consumerId: string): Promise<void> {
    await this.verifyLayout();
    await this.home.heartbeat(consumerId);
  }

  async incrementData(name: string, field: string, by = 1): Promise<void> {
    await this.verifyLayout();
    await this.home.incrementData(name, field, by);
  }

  async leave(consumerId: string): Promise<void> {
    await this.home.leave(consumerId);
  }

  async extend(consumerId: string, claims: readonly Claim[], leaseMs: number): Promise<boolean[]> {
    return this.byPartition(claims, this.partitionOfClaim, (queue, share) => queue.extend(consumerId, share, leaseMs));
  }

  /** Acks each partition's share in its own atomic step (its effects with it), all partitions at once. */
  async ack(consumerId: string, items: readonly AckItem[]): Promise<AckVerdict[]> {
    return (await this.finish(consumerId, items)).verdicts;
  }

  /** ReliableQueue.finish on each partition's share: verdicts in the order of `items`, the outbox entries committed. */
  async finish(
    consumerId: string,
    items: readonly AckItem[],
    archive?: { processedAt: number },
  ): Promise<{ verdicts: AckVerdict[]; outbox: OutboxEntry[] }> {
    const outbox: OutboxEntry[] = [];
    const verdicts = await this.byPartition(
      items,
      (item) => this.partitionOfClaim(item.claim),
      async (queue, share) => {
        const finished = await queue.finish(consumerId, share, archive);
        outbox.push(...finished.outbox);
        return finished.verdicts;
      },
    );
    return { verdicts, outbox };
  }

  /** Every partition's outbox entries committed at least `olderThanMs` ago. */
  async outboxEntries(options: { olderThanMs?: number } = {}): Promise<OutboxEntry[]> {
    return (await Promise.all(this.partitions.map((partition) => partition.outboxEntries(options)))).flat();
  }

  /** Removes outbox entries (each from its own partition). */
  async removeOutbox(entries: readonly OutboxEntry[]): Promise<void> {
    await Promise.all(
      this.partitions.map((partition) =>
        partition.removeOutbox(entries.filter((entry) => entry.partition === partition.partition).map((e) => e.field)),
      ),
    );
  }

  async fail(consumerId: string, items: readonly FailItem[]): Promise<FailVerdict[]> {
    return this.byPartition(
      items,
      (item) => this.partitionOfClaim(item.claim),
      (queue, share) => queue.fail(consumerId, share),
    );
  }

  async recoverExpired(now?: number, limit?: number): Promise<{ requeued: number; deadLettered: number }> {
    await this.verifyLayout();
    const recovered = await Promise.all(this.partitions.map((partition) => partition.recoverExpired(now, limit)));
    return {
      requeued: recovered.reduce((sum, r) => sum + r.requeued, 0),
      deadLettered: recovered.reduce((sum, r) => sum + r.deadLettered, 0),
    };
  }

  /**
   * Where the event is (event-status.ts). Its partition follows its placement key, which an id does not
   * tell, so every partition is asked, all at once, and the one that knows it answers.
   */
  async eventStatus(id: string): Promise<EventStatus> {
    return mostInformative(await Promise.all(this.partitions.map((partition) => partition.eventStatus(id))));
  }

  /** Depths and counters summed over the partitions; the oldest ready event is the oldest of their heads. */
  async stats({ oldestReady = false }: { oldestReady?: boolean } = {}): Promise<QueueStats> {
    const all = await Promise.all(this.partitions.map((partition) => partition.stats({ oldestReady })));
    if (all.length === 1) return all[0] as QueueStats;
    const sum = (pick: (stats: QueueStats) => number): number => all.reduce((total, s) => total + pick(s), 0);
    const counters = Object.fromEntries(
      Object.keys(all[0]?.counters ?? {}).map((name) => [name, sum((s) => s.counters[name as keyof QueueCounters])]),
    ) as unknown as QueueCounters;
    const heads = all.map((s) => s.oldestReadyAt).filter((at): at is number => typeof at === 'number');
    return {
      ready: sum((s) => s.ready),
      inFlight: sum((s) => s.inFlight),
      delayed: sum((s) => s.delayed),
      dead: sum((s) => s.dead),
      counters,
      ...(oldestReady ? { oldestReadyAt: heads.length === 0 ? null : Math.min(...heads) } : {}),
    };
  }

  private readonly partitionOfClaim = (claim: Claim): number => {
    if (!Number.isInteger(claim.partition) || claim.partition < 0 || claim.partition >= this.partitions.length) {
      throw new RangeError(
        `Claim ${claim.id} names partition ${claim.partition}; this queue has ${this.partitions.length}`,
      );
    }
    return claim.partition;
  };

  // Runs `run` on each partition's share of `items` (in their order), all partitions at once, and puts the
  // results back in the order of `items`. The first failure fails the call.
  private async byPartition<I, R>(
    items: readonly I[],
    partitionOf: (item: I) => number,
    run: (queue: ReliableQueue, share: I[]) => Promise<R[]>,
  ): Promise<R[]> {
    if (items.length === 0) return [];
    const shares = new Map<number, { positions: number[]; items: I[] }>();
    items.forEach((item, position) => {
      const partition = partitionOf(item);
      const share = shares.get(partition) ?? { positions: [], items: [] };
      share.positions.push(position);
      share.items.push(item);
      shares.set(partition, share);
    });
    const settled = await Promise.allSettled(
      [...shares].map(([partition, share]) => run(this.partitions[partition] as ReliableQueue, share.items)),
    );
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure)
      throw failure.reason instanceof Error
        ? failure.reason
        : new QueueUnavailableError('Partition failed', { cause: failure.reason });
    const results: R[] = new Array<R>(items.length);
    [...shares.values()].forEach((share, i) => {
      const values = (settled[i] as PromiseFulfilledResult<R[]>).value;
      share.positions.forEach((position, j) => {
        results[position] = values[j] as R;
      });
    });
    return results;
  }
}
