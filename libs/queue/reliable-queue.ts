import type { RedisClient } from './redis-client.js';
import { retryDelayMs } from './backoff.js';
import { DeadLetters } from './dead-letters.js';
import { encodeEffects, mergeEffects, type Effect } from './effects.js';
import { readEventStatus } from './event-status.js';
import { scriptRunner, type RunScript, type ScriptArg, type ScriptName } from './lua-scripts.js';
import {
  BackpressureError,
  QueueUnavailableError,
  ReplicationTimeoutError,
  unavailableOnError,
} from './queue-errors.js';
import { placementHash } from './partition-placement.js';
import { SentMaxima } from './sent-maxima.js';
import { queueKeys, type QueueKeys } from './queue-keys.js';
import {
  decodeAck,
  decodeClaim,
  decodeEnqueue,
  decodeExtend,
  decodeFail,
  decodeGeneration,
  decodeRecover,
  replyCodes,
} from './script-replies.js';
import { archiveText, outboxCommittedAt, outboxField, type OutboxEntry } from './outbox.js';
import type {
  AckItem,
  AckVerdict,
  Claim,
  DataSnapshot,
  EnqueueVerdict,
  EventStatus,
  FailItem,
  FailVerdict,
  GenerationState,
  QueueCounters,
  QueueItem,
  QueueStats,
  ScoreCount,
} from './queue-types.js';

export interface QueueOptions {
  /** ioredis or ioredis-mock; the same scripts run on both. */
  redis: RedisClient;
  /** Namespace of every key (DAY15_KEY_PREFIX). */
  prefix: string;
  /** Queue name, used as the hash tag of all its keys. */
  name?: string;
  /** Which partition of a PartitionedQueue this is; claims carry it back to ack, fail and extend. 0 by default. */
  partition?: number;
  idempotencyTtlMs: number;
  /** Processing attempts before an event is dead-lettered (DAY15_MAX_RETRIES). */
  maxAttempts: number;
  /** Base of the exponential retry backoff (DAY15_RETRY_DELAY_SECONDS). */
  retryDelayMs: number;
  maxRetryDelayMs?: number;
  /** Time source in ms; all hosts sharing a queue need synchronised clocks (NTP) for lease deadlines. */
  clock?: () => number;
  random?: () => number;
  /**
   * Replicas every enqueue must reach (Redis WAIT) before enqueue resolves, and how long to wait for them
   * (DAY15_REDIS_WAIT_REPLICAS, DAY15_REDIS_WAIT_TIMEOUT_MS); none by default.
   */
  replication?: { replicas: number; timeoutMs: number };
  /** DAY15_ARCHIVE_ENABLED: dead-lettering commits archive lines to the outbox (acks do when asked to). */
  archive?: boolean;
}

/** The claim script returns 3 values per event and Lua's unpack stops at 8000 values. */
export const maxClaim = 2000;

const counterNames: (keyof QueueCounters)[] = [
  'accepted',
  'duplicates',
  'acked',
  'failed_attempts',
  'dead_lettered',
  'redelivered',
  'replayed',
  'purged',
];

/**
 * A crash-safe work queue: idempotent enqueue, leased claims with fencing tokens, acks that apply their
 * effects atomically, retries with backoff, dead letters and lease recovery. Every change is one Lua script.
 */
export class ReliableQueue {
  readonly keys: QueueKeys;
  /** Nobody else holds it: readers of the data stored under the queue's hash tag go through readData. */
  private readonly redis: RedisClient;
  readonly deadLetters: DeadLetters;
  private readonly run: RunScript;
  private readonly clock: () => number;
  private readonly random: () => number;
  private sentMaxima = new SentMaxima();
  /**
   * The generation state ("<live>:<building>") acks prepare their effects for: read before the first ack,
   * then learnt from the acks a rebuild's steps refuse.
   */
  private generationState: string | undefined;

  /** The queue's name (its hash tag): `events`, or a partition's, e.g. `events-3p1`. */
  readonly name: string;
  readonly partition: number;

  constructor(private readonly options: QueueOptions) {
    this.name = options.name ?? 'events';
    this.partition = options.partition ?? 0;
    this.keys = queueKeys(options.prefix, options.name);
    this.redis = options.redis;
    this.run = scriptRunner(options.redis, this.keys);
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.deadLetters = new DeadLetters(options.redis, this.keys, (name, args) => this.script(name, args), this.clock);
  }

  /** Stores new events and makes them ready in one atomic step; ids seen within the TTL are duplicates. */
  async enqueue(items: readonly QueueItem[], { maxReadyDepth = 0 } = {}): Promise<EnqueueVerdict[]> {
    if (items.length === 0) return [];
    const args: ScriptArg[] = [this.options.idempotencyTtlMs, maxReadyDepth, this.clock()];
    for (const item of items) args.push(item.id, item.label ?? 'unlabelled', item.body, placementHash(item));
    const reply = decodeEnqueue(await this.script('enqueue', args));
    if (reply.full) throw new BackpressureError({ depth: reply.depth, maxDepth: maxReadyDepth });
    // Duplicates wait too: the first copy may be the one whose replication timed out.
    await this.waitForReplicas();
    return reply.verdicts;
  }

  /**
   * Redis WAIT for the configured replicas, or ReplicationTimeoutError. WAIT counts the writes of the
   * connection it is sent on and has no key of its own; sent in one pipeline with a read of a queue key, it
   * goes to the node that holds the queue's slot (Redis Cluster) on the connection that just wrote there.
   */
  private async waitForReplicas(): Promise<void> {
    const { replicas = 0, timeoutMs = 0 } = this.options.replication ?? {};
    if (replicas === 0) return;
    const replies = await this.guard(() =>
      this.redis.pipeline().exists(this.keys.ready).wait(replicas, timeoutMs).exec(),
    );
    const [error, confirmed] = replies?.[1] ?? [new Error('WAIT got no reply'), 0];
    if (error) throw new QueueUnavailableError('WAIT failed', { cause: error });
    if (Number(confirmed) < replicas) {
      throw new ReplicationTimeoutError({ required: replicas, confirmed: Number(confirmed), timeoutMs });
    }
  }

  /** Leases up to `max` events (due retries first, then ready ones) until now + leaseMs. */
  async claim(consumerId: string, max: number, leaseMs: number): Promise<Claim[]> {
    if (!Number.isInteger(max) || max < 1 || max > maxClaim) {
      throw new RangeError(`claim takes 1 to ${maxClaim} events, got ${max}`);
    }
    return decodeClaim(await this.script('claim', [consumerId, max, leaseMs, this.clock()]), this.partition);
  }

  /**
   * Whether a claim would find anything (ready events or due retries): two plain reads, no script, so an
   * idle consumer can poll often without loading Redis (or the in-process mock's Lua interpreter).
   */
  async hasWork(): Promise<boolean> {
    const replies = await this.guard(() =>
      this.redis.pipeline().llen(this.keys.ready).zcount(this.keys.delayed, '-inf', this.clock()).exec(),
    );
    return (replies ?? []).some(([error, count]) => error !== null || Number(count) > 0);
  }

  /** One PING round trip: resolves when Redis answers, QueueUnavailableError when it does not (readiness). */
  async ping(): Promise<void> {
    await this.guard(() => this.redis.ping());
  }

  /** Counts requests refused before they reached the queue (invalid events), next to the intake counts. */
  async countRejected(labels: readonly string[]): Promise<void> {
    if (labels.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const label of labels) pipeline.hincrby(this.keys.intake, `rejected:${label}`, 1);
    await this.guard(() => pipeline.exec());
  }

  /** A consumer says it is alive; the dashboard shows how long ago each one was seen. */
  async heartbeat(consumerId: string): Promise<void> {
    await this.guard(() => this.redis.hset(this.keys.consumers, consumerId, this.clock()));
  }

  /** Adds to a counter stored on behalf of the queue's users (keys.data(name)), e.g. process restarts. */
  async incrementData(name: string, field: string, by = 1): Promise<void> {
    await this.guard(() => this.redis.hincrby(this.keys.data(name), field, by));
  }

  /**
   * Reads hashes and sorted-set counts (members scored within [min, max]) kept under the queue's
   * hash tag (analytics, intake, consumers) in one round trip. Only keys under keys.base: a reader cannot
   * wander out of the queue's slot.
   */
  async readData({
    hashes,
    scoreCounts = [],
  }: {
    hashes: readonly string[];
    scoreCounts?: readonly ScoreCount[];
  }): Promise<DataSnapshot> {
    for (const key of [...hashes, ...scoreCounts.map((count) => count.key)]) {
      if (!key.startsWith(this.keys.base))
        throw new RangeError(`${key} is not a key of this queue (${this.keys.base}...)`);
    }
    const replies = await this.guard(() => {
      const pipeline = this.redis.pipeline();
      for (const key of hashes) pipeline.hgetall(key);
      for (const { key, min, max } of scoreCounts) pipeline.zcount(key, min, max);
      return pipeline.exec();
    }, 'Reading queue data failed');
    const values = (replies ?? []).map(([error, value]) => {
      if (error) throw new QueueUnavailableError('Reading queue data failed', { cause: error });
      return value;
    });
    return {
      hashes: values.slice(0, hashes.length) as Record<string, string>[],
      scoreCounts: values.slice(hashes.length).map(Number),
    };
  }

  /** A consumer that stops cleanly takes itself off the list. */
  async leave(consumerId: string): Promise<void> {
    await this.guard(() => this.redis.hdel(this.keys.consumers, consumerId));
  }

  /** Heartbeat for a long batch: pushes the lease deadline of claims still held; false where it was lost. */
  async extend(consumerId: string, claims: readonly Claim[], leaseMs: number): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const args: ScriptArg[] = [consumerId, this.clock() + leaseMs];
    for (const claim of claims) args.push(claim.id, claim.token);
    return decodeExtend(await this.script('extend', args));
  }

  /**
   * Finishes held events and applies their effects in the same atomic step. The batch's effects are merged
   * and applied all or nothing; if a lease was lost meanwhile, the held events are acked again on their own.
   */
  async ack(consumerId: string, items: readonly AckItem[]): Promise<AckVerdict[]> {
    return (await this.finish(consumerId, items)).verdicts;
  }

  /**
   * ack, and with `archive`, the acked events' archive lines committed to the outbox by the same step (the
   * entry is returned for the caller to write to the archive and then remove, removeOutbox).
   */
  async finish(
    consumerId: string,
    items: readonly AckItem[],
    archive?: { processedAt: number },
  ): Promise<{ verdicts: AckVerdict[]; outbox: OutboxEntry[] }> {
    // By claim, not by event id: a batch can hold a stale claim and a fresh one of the same event (its
    // consumer lost the lease, then claimed the event again), and only the stale one is lost.
    const lost = new Set<Claim>();
    const outbox: OutboxEntry[] = [];
    let pending = items;
    if (pending.length > 0 && this.generationState === undefined) {
      const { live, building } = await this.generationStateNow();
      this.generationState = `${live}:${building ?? ''}`;
    }
    while (pending.length > 0) {
      const now = this.clock();
      const text = archive ? archiveText(archive.processedAt, pending) : '';
      const args: ScriptArg[] = [consumerId, now, pending.length, this.generationState ?? '', text];
      for (const { claim } of pending) args.push(claim.id, claim.token);
      const effects = this.sentMaxima.unsent(mergeEffects(pending.flatMap((item) => item.effects)));
      args.push(...encodeEffects(effects));
      const reply = decodeAck(await this.script('ack', args));
      if (reply.applied) {
        this.sentMaxima.remember(effects);
        if (reply.firstSeq !== undefined) {
          outbox.push({
            queue: this.name,
            partition: this.partition,
            field: outboxField(reply.firstSeq, now, consumerId),
            value: text,
          });
        }
        break;
      }
      if ('generationState' in reply) {
        // A rebuild started or switched: what was remembered was set in another generation.
        this.generationState = reply.generationState;
        this.sentMaxima = new SentMaxima();
        continue;
      }
      pending.forEach((item, i) => {
        if (!reply.held[i]) lost.add(item.claim);
      });
      pending = pending.filter((item) => !lost.has(item.claim));
    }
    return { verdicts: items.map((item) => (lost.has(item.claim) ? 'lost' : 'acked')), outbox };
  }

  /**
   * Records failed attempts: retry after a jittered exponential backoff, or dead-letter at the max
   * (or at once for an item marked retry: false, e.g. an event that can never be parsed).
   */
  async fail(consumerId: string, items: readonly FailItem[]): Promise<FailVerdict[]> {
    if (items.length === 0) return [];
    const backoff = { baseMs: this.options.retryDelayMs, maxMs: this.options.maxRetryDelayMs ?? 300_000 };
    const args: ScriptArg[] = [consumerId, this.clock(), this.options.maxAttempts, this.options.archive ? 1 : 0];
    for (const { claim, error, retry = true } of items) {
      const delay = retry ? retryDelayMs(claim.attempt, backoff, this.random) : -1;
      args.push(claim.id, claim.token, delay, error.slice(0, 2000));
    }
    return decodeFail(await this.script('fail', args));
  }

  /** Where the event is within the idempotency window, and since when (event-status.ts); reads only. */
  async eventStatus(id: string): Promise<EventStatus> {
    return readEventStatus(this.redis, this.keys, id);
  }

  /** Returns events whose lease expired to the ready list (or dead letters at the max attempts). */
  async recoverExpired(now = this.clock(), limit = 1000): Promise<{ requeued: number; deadLettered: number }> {
    return decodeRecover(
      await this.script('recover', [now, this.options.maxAttempts, limit, this.options.archive ? 1 : 0]),
    );
  }

  /**
   * The outbox entries whose commit is at least `olderThanMs` old (all with 0): archive lines a consumer has
   * not written out yet, e.g. because it crashed after its ack. Reads the field names first, then only the
   * values wanted.
   */
  async outboxEntries({ olderThanMs = 0 } = {}): Promise<OutboxEntry[]> {
    const fields = await this.guard(() => this.redis.hkeys(this.keys.outbox), 'Reading the archive outbox failed');
    const due = fields.filter((field) => outboxCommittedAt(field) <= this.clock() - olderThanMs);
    if (due.length === 0) return [];
    const values = await this.guard(
      () => this.redis.hmget(this.keys.outbox, ...due),
      'Reading the archive outbox failed',
    );
    return due.flatMap((field, i) => {
      const value = values[i];
      return typeof value === 'string' ? [{ queue: this.name, partition: this.partition, field, value }] : [];
    });
  }

  /** Removes outbox entries once their lines are durably in the archive. */
  async removeOutbox(fields: readonly string[]): Promise<void> {
    if (fields.length === 0) return;
    await this.guard(() => this.redis.hdel(this.keys.outbox, ...fields), 'Removing archive outbox entries failed');
  }

  /** One step of the partition's analytics generations (generation-2.lua); the state after it. */
  async generationStep(step: 'begin' | 'switch' | 'abort', generation: number): Promise<GenerationState> {
    return decodeGeneration(await this.script('generation', [step, generation]));
  }

  /** The partition's generation state, read only. */
  async generationStateNow(): Promise<GenerationState> {
    const replies = await this.guard(() =>
      this.redis.pipeline().hmget(this.keys.generation, 'live', 'building').get(this.keys.sequence).exec(),
    );
    const [live, building] = ((replies?.[0]?.[1] ?? []) as (string | null)[]).map((value) => value ?? '');
    return {
      live: Number(live || 0),
      building: building ? Number(building) : null,
      seq: Number(replies?.[1]?.[1] ?? 0),
    };
  }

  /** Applies effects to the generation being built; false when `generation` is not (any more) the one being built. */
  async backfill(generation: number, effects: readonly Effect[]): Promise<boolean> {
    const reply = await this.script('backfill', [generation, ...encodeEffects(mergeEffects(effects))]);
    return Number(reply) === replyCodes.backfill.applied;
  }

  /**
   * Queue depths and lifetime counters, read in one round trip. A pipeline, not MULTI: Redis refuses MULTI
   * when it is at maxmemory, and stats must stay readable exactly then. With `oldestReady`, also the enqueue
   * time of the event at the head of the ready list (the next one claimed): the same pipeline reads the
   * head's id (LINDEX), and, only when there is one, a second round trip reads its `enqueued_at`.
   */
  async stats({ oldestReady = false }: { oldestReady?: boolean } = {}): Promise<QueueStats> {
    const replies = await this.guard(() =>
      this.redis
        .pipeline()
        .llen(this.keys.ready)
        .zcard(this.keys.inFlight)
        .zcard(this.keys.delayed)
        .zcard(this.keys.dead)
        .hmget(this.keys.counters, ...counterNames)
        .lindex(this.keys.ready, 0)
        .exec(),
    );
    const values = (replies ?? []).map(([error, value]) => {
      if (error) throw new QueueUnavailableError('Reading queue stats failed', { cause: error });
      return value;
    });
    const counterValues = (values[4] ?? []) as (string | null)[];
    const counters = Object.fromEntries(counterNames.map((name, i) => [name, Number(counterValues[i] ?? 0)]));
    const head = values[5];
    return {
      ready: Number(values[0]),
      inFlight: Number(values[1]),
      delayed: Number(values[2]),
      dead: Number(values[3]),
      counters: counters as unknown as QueueCounters,
      ...(oldestReady ? { oldestReadyAt: typeof head === 'string' ? await this.enqueuedAt(head) : null } : {}),
    };
  }

  // The enqueue time of one event; null when its hash is gone (claimed and acked since the head was read:
  // the next read sees the new head).
  private async enqueuedAt(id: string): Promise<number | null> {
    const at = await this.guard(
      () => this.redis.hget(this.keys.event(id), 'enqueued_at'),
      'Reading queue stats failed',
    );
    return at === null ? null : Number(at);
  }

  private script(name: ScriptName, args: readonly ScriptArg[]): Promise<unknown> {
    return this.guard(() => this.run(name, args), `Queue operation ${name} failed`);
  }

  private guard<T>(operation: () => Promise<T>, message?: string): Promise<T> {
    return unavailableOnError(operation, message);
  }
}
