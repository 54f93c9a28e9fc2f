import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  effectsFor,
  placementKey,
  readMetrics,
  recordRestart,
  type MetricsDocument,
} from '../../libs/analytics/index.js';
import { FileArchiveStore, outboxLines } from '../../libs/archive/index.js';
import type { Day15Event } from '../../libs/events/index.js';
import {
  decodeOutboxEntry,
  PartitionLayoutError,
  queueKeys,
  type PartitionedQueue,
  type RedisClient,
} from '../../libs/queue/index.js';
import { keysByPartition } from '../../scripts/repartition/key-space.js';
import { repartition, type RepartitionStep } from '../../scripts/repartition/repartition.js';
import { killAppProcesses, startAppProcess } from '../../tools/app-process.js';
import { testQueue, uniquePrefix, withContractBackends, withRealRedis } from '../support/backends.js';

const now = Date.parse('2026-11-26T14:30:00Z');
const minute = 60_000;

function event(id: string, type: string, change: Record<string, unknown> = {}): Day15Event {
  return {
    event_id: id,
    event_type: type,
    timestamp: '2026-11-26T10:00:00Z',
    received_at: new Date(now - 20).toISOString(),
    ...change,
  } as Day15Event;
}

const created = (id: string, user: string, metadata: Record<string, unknown>, timestamp = '2026-11-26T10:00:00Z') =>
  event(id, 'subscription_created', { user_id: user, timestamp, metadata });
const updated = (id: string, user: string, metadata: Record<string, unknown>, timestamp: string) =>
  event(id, 'subscription_updated', { user_id: user, timestamp, metadata });
const cancelled = (id: string, user: string, timestamp: string) =>
  event(id, 'subscription_cancelled', { user_id: user, timestamp });
const usage = (id: string, user: string | undefined, durationMs: number) =>
  event(id, 'usage_tracked', {
    ...(user ? { user_id: user } : {}),
    metadata: { feature: 'api_calls', quantity: 3, duration_ms: durationMs },
  });

/** A day of traffic: signups spread over hours, subscriptions with an upgrade, a churn and an orphan cancel. */
const history: Day15Event[] = [
  ...Array.from({ length: 12 }, (_, i) =>
    event(`signup-${i}`, 'user_signup', {
      user_id: `u${i}`,
      received_at: new Date(now - i * 37 * minute - i).toISOString(),
      metadata: { source: i % 3 === 0 ? 'ads' : 'organic', country: i % 2 === 0 ? 'US' : 'DE' },
    }),
  ),
  created('sub-1', 'u1', { plan: 'basic', amount: 29 }),
  created('sub-2', 'u2', { plan: 'premium', amount: 1199.88, billing_cycle: 'annual' }),
  created('sub-3', 'u3', { plan: 'enterprise', amount: 499 }),
  updated('sub-3b', 'u3', { plan: 'enterprise', amount: 599 }, '2026-11-26T11:00:00Z'),
  created('sub-4', 'u4', { plan: 'basic', amount: 29 }),
  cancelled('sub-4c', 'u4', '2026-11-26T12:00:00Z'),
  cancelled('ghost-c', 'ghost', '2026-11-26T12:00:00Z'),
  usage('use-1', 'u5', 0.1),
  usage('use-2', 'u6', 0.2),
  usage('use-3', undefined, 12.5),
  usage('use-4', undefined, 7),
];

/** Acked after the rebuild of seededInGeneration2: they go into generation 2 through the acks. */
const afterRebuild: Day15Event[] = [
  updated('sub-1b', 'u1', { plan: 'premium', amount: 99.99 }, '2026-11-26T13:00:00Z'),
  usage('use-5', 'u7', 0.3),
  cancelled('sub-2c', 'u2', '2026-11-26T13:00:00Z'),
];

/** Every key of every layout of the queue under `prefix`, with its type and value, and whether it expires. */
async function dump(redis: RedisClient, prefix: string): Promise<Record<string, unknown>> {
  const keys = [...(await keysByPartition(redis, prefix, 'events')).values()].flat().sort();
  const entries = [];
  for (const key of keys) {
    const type = await redis.type(key);
    const value =
      type === 'string'
        ? await redis.get(key)
        : type === 'hash'
          ? await redis.hgetall(key)
          : type === 'set'
            ? (await redis.smembers(key)).sort()
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : await redis.zrange(key, 0, -1, 'WITHSCORES');
    entries.push([key.slice(prefix.length), { type, value, expires: (await redis.pttl(key)) > 0 }]);
  }
  return Object.fromEntries(entries);
}

withContractBackends('npm run repartition', (backend) => {
  const queueOf = (prefix: string, partitions: number, overrides: Parameters<typeof testQueue>[1] = {}) =>
    testQueue(backend.redis, { prefix, partitions, clock: () => now, ...overrides });

  // Each event goes the real way: enqueue by its placement key, claim, ack with its effects. With `archived`,
  // the ack also numbers it and commits its archive line to the outbox, as with the archive on; nothing
  // writes the outbox out here, so the lines stay there.
  async function processEvents(queue: PartitionedQueue, events: Day15Event[], archived = false): Promise<string[]> {
    const verdicts: string[] = [];
    for (const e of events) {
      verdicts.push(
        ...(await queue.enqueue([{ id: e.event_id, body: JSON.stringify(e), placementKey: placementKey(e) }])),
      );
      for (const claim of await queue.claim('c', 10, 10_000)) {
        const effects = effectsFor(JSON.parse(claim.body) as Day15Event, { now });
        await queue.finish('c', [{ claim, effects }], archived ? { processedAt: now } : undefined);
      }
    }
    return verdicts;
  }
  const process = (queue: PartitionedQueue, ...events: Day15Event[]) => processEvents(queue, events);

  // The metrics document but for what is generated per read or per process.
  async function metrics(queue: PartitionedQueue): Promise<unknown> {
    const { generated_at: _at, pipeline, ...rest }: MetricsDocument = await readMetrics(queue, { now, window: '7d' });
    return { ...rest, pipeline: { ...pipeline, consumers: [], heartbeat_age_s: null } };
  }

  async function seeded(partitions = 1): Promise<{ prefix: string; queue: PartitionedQueue }> {
    const prefix = uniquePrefix('rp');
    const queue = queueOf(prefix, partitions);
    await process(queue, ...history, history[0] as Day15Event);
    return { prefix, queue };
  }

  // npm run rebuild-analytics in its queue steps: every partition begins building `generation`, each event's
  // effects are replayed into its partition, then every partition switches to it, or aborts it.
  async function rebuild(queue: PartitionedQueue, generation: number, events: Day15Event[], end: 'switch' | 'abort') {
    for (const partition of queue.partitions) await partition.generationStep('begin', generation);
    for (const e of events) {
      const partition = queue.partitionFor(placementKey(e) ?? e.event_id);
      expect(await partition.backfill(generation, effectsFor(e, { now }))).toBe(true);
    }
    for (const partition of queue.partitions) await partition.generationStep(end, generation);
  }

  /**
   * A queue whose live analytics generation is 2: the history acked with the archive on (its lines still in
   * the outbox), rebuilt into generation 2, then acked into it; a restart counted. Generation 0's keys are
   * still there (as when a rebuild stopped before deleting what it replaced), and so are some of generation
   * 3, a rebuild that was aborted.
   */
  async function seededInGeneration2(): Promise<{ prefix: string; queue: PartitionedQueue }> {
    const prefix = uniquePrefix('rpg');
    const queue = queueOf(prefix, 1);
    await processEvents(queue, history, true);
    const beforeRebuild = await metrics(queue);
    await rebuild(queue, 2, history, 'switch');
    expect(await metrics(queue)).toEqual(beforeRebuild);
    await rebuild(queue, 3, history.slice(0, 14), 'abort');
    await recordRestart(queue, 'consumer');
    await processEvents(queue, afterRebuild, true);
    return { prefix, queue };
  }

  // Archive folders, one per store a test opens; closed and removed after each test.
  let archiveRoot: string;
  const openStores: FileArchiveStore[] = [];
  beforeEach(async () => {
    archiveRoot = await mkdtemp(join(tmpdir(), 'day15-repartition-'));
  });
  afterEach(async () => {
    await Promise.all(openStores.splice(0).map((store) => store.close()));
    await rm(archiveRoot, { recursive: true, force: true });
  });
  function archiveIn(name: string): FileArchiveStore {
    const store = new FileArchiveStore({ dir: join(archiveRoot, name), retentionDays: 90, clock: () => now });
    openStores.push(store);
    return store;
  }
  // Every line in the archive folder `name`, with the part it is in.
  async function archivedLines(name: string): Promise<{ source: string; text: string }[]> {
    const lines = [];
    for await (const { source, text } of archiveIn(name).read()) lines.push({ source, text });
    return lines;
  }

  it('when the number changes 1 -> 3 -> 6 -> 1, then the metrics, the dedupe and every subscription carry over', async () => {
    const { prefix, queue: one } = await seeded();
    // Written by a version that stored a timestamp in idempotency keys: its placement is unknown.
    await backend.redis.set(queueKeys(prefix).seen('legacy-1'), String(now - 5 * minute), 'PX', 3_600_000);
    const initial = await metrics(one);
    expect(initial).toMatchObject({
      subscriptions: {
        active: 3,
        mrr: 727.99,
        by_plan: { basic: 29, premium: 99.99, enterprise: 599 },
        churned: 1,
        unknown_cancellations: 1,
      },
      totals: { processed: 23, duplicates: 1 },
      unique_users_today: 13,
    });

    const toThree = await repartition(backend.redis, { prefix, to: 3, now });
    expect(toThree).toMatchObject({
      outcome: 'repartitioned',
      from: 1,
      to: 3,
      copied: { seen: 23, legacySeen: 1, perUser: 5, userScores: 1, queueHashes: 2 },
      deleted: expect.any(Number),
    });
    // Idempotency keys, series and the days' MRR movements kept their TTLs; nothing else expires.
    for (const [key, entry] of Object.entries(await dump(backend.redis, prefix))) {
      expect([key, (entry as { expires: boolean }).expires]).toEqual([key, /:(seen|a:minute|a:hour|a:mov):/.test(key)]);
    }
    await expect(queueOf(prefix, 1).enqueue([{ id: 'late', body: '{}' }])).rejects.toThrow(PartitionLayoutError);
    const three = queueOf(prefix, 3);
    expect(await metrics(three)).toEqual(initial);
    expect(await process(three, history[5] as Day15Event, history[14] as Day15Event)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    expect(await process(three, usage('legacy-1', 'u7', 1))).toEqual(['duplicate']);
    await process(
      three,
      updated('sub-1b', 'u1', { plan: 'premium', amount: 99.99 }, '2026-11-26T13:00:00Z'),
      usage('use-5', 'u7', 0.3),
      usage('use-6', undefined, 0.7),
    );
    const afterThree = await metrics(three);
    expect(afterThree).toMatchObject({
      subscriptions: { active: 3, mrr: 798.98, by_plan: { premium: 199.98, enterprise: 599 }, churned: 1 },
      totals: { duplicates: 4 },
    });

    expect(await repartition(backend.redis, { prefix, to: 6, now })).toMatchObject({ outcome: 'repartitioned' });
    const six = queueOf(prefix, 6);
    expect(await metrics(six)).toEqual(afterThree);
    expect(await process(six, history[13] as Day15Event, usage('legacy-1', 'u7', 1))).toEqual([
      'duplicate',
      'duplicate',
    ]);
    await process(six, cancelled('sub-2c', 'u2', '2026-11-26T13:00:00Z'), usage('use-7', 'u8', 0.4));
    const afterSix = await metrics(six);
    expect(afterSix).toMatchObject({
      subscriptions: { active: 2, mrr: 698.99, by_plan: { premium: 99.99, enterprise: 599 }, churned: 2 },
    });

    expect(await repartition(backend.redis, { prefix, to: 1, now })).toMatchObject({ outcome: 'repartitioned' });
    const back = queueOf(prefix, 1);
    expect(await metrics(back)).toEqual(afterSix);
    expect([...(await keysByPartition(backend.redis, prefix, 'events')).keys()]).toEqual(['events']);
    await process(
      back,
      updated('sub-3c', 'u3', { plan: 'basic', amount: 29 }, '2026-11-26T13:00:00Z'),
      // Older than u1's upgrade: the per-user state that carried over makes it change nothing.
      updated('sub-1-stale', 'u1', { plan: 'basic', amount: 29 }, '2026-11-26T09:00:00Z'),
    );
    expect(await metrics(back)).toMatchObject({
      subscriptions: { active: 2, mrr: 128.99, by_plan: { premium: 99.99, basic: 29 }, churned: 2 },
    });
  });

  it('when the queue is not drained, then it refuses and changes nothing', async () => {
    const { prefix, queue } = await seeded();
    await queue.enqueue([
      { id: 'waiting', body: '{}' },
      { id: 'leased', body: '{}' },
    ]);
    await queue.claim('c', 1, 10_000);
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 3, now });
    expect(result).toMatchObject({ outcome: 'refused', from: 1, to: 3 });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringContaining('not drained: 1 ready, 1 in flight, 0 delayed'),
    ]);
    expect(await dump(backend.redis, prefix)).toEqual(before);
  });

  it('when dead letters are left, then it refuses, naming npm run dlq, and changes nothing', async () => {
    const { prefix } = await seeded(3);
    const queue = queueOf(prefix, 3, { maxAttempts: 1 });
    await queue.enqueue([{ id: 'poison', body: '{}', placementKey: 'u1' }]);
    const claims = await queue.claim('c', 1, 10_000);
    await queue.fail(
      'c',
      claims.map((claim) => ({ claim, error: 'bad' })),
    );
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 1, now });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringMatching(
        /^1 dead letter\(s\) would be lost: .*npm run dlq -- replay --all.*npm run dlq -- purge --all/,
      ),
    ]);
    expect(await dump(backend.redis, prefix)).toEqual(before);
  });

  it('when a consumer beat within 30 s, then it refuses and changes nothing; an older heartbeat does not count', async () => {
    const { prefix } = await seeded();
    await queueOf(prefix, 1, { clock: () => now - 5_000 }).heartbeat('consumer-live');
    await queueOf(prefix, 1, { clock: () => now - 60_000 }).heartbeat('consumer-gone');
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 3, now });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringMatching(/^Consumer\(s\) still running, last heartbeat: consumer-live \(5 s ago\)\. Stop/),
    ]);
    expect(await dump(backend.redis, prefix)).toEqual(before);
    expect(await repartition(backend.redis, { prefix, to: 3, now: now + 30_000 })).toMatchObject({
      outcome: 'repartitioned',
    });
  });

  it('when a key has an unknown name or type, then it refuses, listing them, and changes nothing', async () => {
    const { prefix } = await seeded();
    const keys = queueKeys(prefix);
    await backend.redis.set(keys.data('mystery'), '1');
    await backend.redis.set(keys.data('a:active'), 'not a sorted set');
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 3, now });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringContaining('2 key(s) it cannot place in the new layout'),
    ]);
    const [reason] = result.outcome === 'refused' ? result.reasons : [];
    expect(reason).toContain(`${keys.data('mystery')} (not a key Day15 writes)`);
    expect(reason).toContain(`${keys.data('a:active')} (a string, expected a zset)`);
    expect(await dump(backend.redis, prefix)).toEqual(before);
  });

  it('when an event is enqueued during the copy, then it discards the copy and keeps the old layout', async () => {
    const { prefix, queue } = await seeded();
    // What a receiver someone forgot to stop does; Redis has no list of receivers to check beforehand.
    const receiver = async ({ step }: RepartitionStep) => {
      if (step === 'copied') await queue.enqueue([{ id: 'sneaked-in', body: '{}', placementKey: 'u7' }]);
    };
    const result = await repartition(backend.redis, { prefix, to: 3, now, onStep: receiver });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringContaining('Events were enqueued while the data was copied: a receiver is still running'),
    ]);
    expect([...(await keysByPartition(backend.redis, prefix, 'events')).keys()]).toEqual(['events']);
    expect(await backend.redis.get(queueKeys(prefix).layout)).toBe('1');
    expect(await queue.stats()).toMatchObject({ ready: 1 });
  });

  it('when the live analytics generation is 2, then 1 -> 3 -> 1 keeps it and the metrics, the ack sequence keeps rising, and other generations stay behind', async () => {
    const { prefix, queue: one } = await seededInGeneration2();
    const initial = await metrics(one);
    expect(initial).toMatchObject({
      totals: { processed: history.length + afterRebuild.length },
      subscriptions: { active: 2, mrr: 698.99, churned: 2 },
      pipeline: { restarts: { consumer: 1 } },
    });
    expect(await one.home.generationStateNow()).toEqual({ live: 2, building: null, seq: 26 });
    // Analytics keys of generations 0 (replaced) and 3 (aborted); restarts belong to no generation.
    const leftovers = Object.keys(await dump(backend.redis, prefix)).filter((key) =>
      /\}:(a:(?!restarts$)|g3:)/.test(key),
    );
    expect(leftovers.length).toBeGreaterThan(20);

    const toThree = await repartition(backend.redis, { prefix, to: 3, now, archive: archiveIn('archive') });
    expect(toThree).toMatchObject({
      outcome: 'repartitioned',
      carried: { live: 2, sequence: 26 },
      otherGenerations: leftovers.length,
    });
    const layout = await dump(backend.redis, prefix);
    const analytics = Object.keys(layout).filter((key) => /\}:(g\d+:)?a:/.test(key));
    expect(analytics.length).toBeGreaterThan(10);
    expect(analytics.filter((key) => !/\}:(g2:a:|a:restarts$)/.test(key))).toEqual([]);
    const three = queueOf(prefix, 3);
    for (const partition of three.partitions) {
      expect(await partition.generationStateNow()).toEqual({ live: 2, building: null, seq: 26 });
    }
    expect(await metrics(three)).toEqual(initial);

    // Acks in every new partition number their events above every number the old layout gave.
    const spread = Array.from({ length: 9 }, (_, i) => usage(`use-late-${i}`, `u${i}`, 1));
    await processEvents(three, spread, true);
    const entries = await three.outboxEntries();
    expect(new Set(entries.map((entry) => entry.partition))).toEqual(new Set([0, 1, 2]));
    const firstSeqs = entries.map((entry) => {
      const decoded = decodeOutboxEntry(entry);
      return decoded.kind === 'processed' ? decoded.firstSeq : 0;
    });
    expect(Math.min(...firstSeqs)).toBe(27);
    const afterThree = await metrics(three);
    const highest = Math.max(
      ...(await Promise.all(three.partitions.map((partition) => partition.generationStateNow()))).map((s) => s.seq),
    );

    expect(await repartition(backend.redis, { prefix, to: 1, now, archive: archiveIn('archive') })).toMatchObject({
      outcome: 'repartitioned',
      archived: { entries: entries.length, lines: spread.length },
      carried: { live: 2, sequence: highest },
      otherGenerations: 0,
    });
    const back = queueOf(prefix, 1);
    expect(await back.home.generationStateNow()).toEqual({ live: 2, building: null, seq: highest });
    expect(await metrics(back)).toEqual(afterThree);
  });

  it('when a rebuild is running or was interrupted, then it refuses, naming npm run rebuild-analytics -- --abort, and changes nothing', async () => {
    const { prefix, queue } = await seeded();
    await queue.home.generationStep('begin', 1);
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 3, now });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringMatching(
        /^A rebuild of the analytics is running or was interrupted \(events is building generation 1\): let it finish, or abort it with npm run rebuild-analytics -- --abort/,
      ),
    ]);
    expect(await dump(backend.redis, prefix)).toEqual(before);
  });

  it('when npm run rebuild-analytics holds its lock, then it refuses and changes nothing', async () => {
    const { prefix } = await seeded();
    await backend.redis.set(queueKeys(prefix).rebuildLock, 'pid 4242 since 2026-11-26T14:00:00.000Z', 'PX', 60_000);
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 3, now });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      'npm run rebuild-analytics is running (pid 4242 since 2026-11-26T14:00:00.000Z): let it finish, then run this again',
    ]);
    expect(await dump(backend.redis, prefix)).toEqual(before);
  });

  it('when the partitions disagree on the live analytics generation, then it refuses and changes nothing', async () => {
    const { prefix, queue } = await seeded(3);
    const [first] = queue.partitions;
    await first?.generationStep('begin', 1);
    await first?.generationStep('switch', 1);
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 1, now });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringContaining(
        'The partitions disagree on the live analytics generation (events-3p0: 1, events-3p1: 0, events-3p2: 0)',
      ),
    ]);
    expect(await dump(backend.redis, prefix)).toEqual(before);
  });

  it('when acks and dead-lettering left lines in the outbox, then they end up in the archive and leave Redis', async () => {
    const prefix = uniquePrefix('rpo');
    const queue = queueOf(prefix, 3, { archive: true, maxAttempts: 1 });
    await processEvents(queue, history, true);
    // A dead letter commits its line to the outbox too; purged, only that line is left of it.
    await queue.enqueue([{ id: 'poison', body: '{}', placementKey: 'u1' }]);
    const claims = await queue.claim('c', 1, 10_000);
    await queue.fail(
      'c',
      claims.map((claim) => ({ claim, error: 'bad' })),
    );
    await queue.deadLetters.purge('all');
    const entries = await queue.outboxEntries();
    expect(entries.map((entry) => entry.field[0]).sort()).toEqual(['d', ...history.map(() => 'p')]);

    const result = await repartition(backend.redis, { prefix, to: 1, now, archive: archiveIn('archive') });
    expect(result).toMatchObject({
      outcome: 'repartitioned',
      archived: { entries: entries.length, lines: history.length + 1 },
    });
    const lines = await archivedLines('archive');
    expect(lines.map(({ text }) => text).sort()).toEqual(entries.flatMap(outboxLines).sort());
    expect(new Set(lines.map(({ source }) => source))).toEqual(new Set(['day=2026-11-26/repartition.jsonl']));
    expect(Object.keys(await dump(backend.redis, prefix)).filter((key) => key.endsWith(':outbox'))).toEqual([]);
  });

  it('when the outbox holds lines and the archive is off, then it refuses, naming DAY15_ARCHIVE_ENABLED, and changes nothing', async () => {
    const prefix = uniquePrefix('rpo');
    await processEvents(queueOf(prefix, 1), history.slice(0, 3), true);
    const before = await dump(backend.redis, prefix);
    const result = await repartition(backend.redis, { prefix, to: 3, now });
    expect(result.outcome === 'refused' && result.reasons).toEqual([
      expect.stringMatching(/^3 archive outbox entr\(ies\) .* \(DAY15_ARCHIVE_ENABLED=false\): turn it on/),
    ]);
    expect(await dump(backend.redis, prefix)).toEqual(before);
  });

  it.each<RepartitionStep['step']>(['archived', 'cleared', 'copied', 'switched', 'deleted'])(
    'when a run is interrupted after the step "%s", then running it again ends where an uninterrupted run ends',
    async (step) => {
      const clean = await seededInGeneration2();
      await repartition(backend.redis, { prefix: clean.prefix, to: 3, now, archive: archiveIn('clean') });
      const interrupted = await seededInGeneration2();
      const archive = archiveIn('interrupted');
      // A leftover of an earlier interrupted run towards 3 partitions, which the next run must not keep.
      await backend.redis.set(queueKeys(interrupted.prefix, 'events-3p1').seen('stale'), '1');
      const crash = new Error(`crashed after ${step}`);
      const crashing = (done: RepartitionStep) => {
        if (done.step === step) throw crash;
      };
      await expect(
        repartition(backend.redis, { prefix: interrupted.prefix, to: 3, now, archive, onStep: crashing }),
      ).rejects.toBe(crash);
      expect(await repartition(backend.redis, { prefix: interrupted.prefix, to: 3, now, archive })).toMatchObject({
        outcome: step === 'switched' || step === 'deleted' ? 'unchanged' : 'repartitioned',
      });
      expect(await dump(backend.redis, interrupted.prefix)).toEqual(await dump(backend.redis, clean.prefix));
      expect(await metrics(queueOf(interrupted.prefix, 3))).toEqual(await metrics(queueOf(clean.prefix, 3)));
      expect(await archivedLines('interrupted')).toEqual(await archivedLines('clean'));
    },
  );
});

// Two real CLI processes, each a `node --import tsx` start that takes seconds on a busy 2-core machine.
const cliTestTimeoutMs = 120_000;

withRealRedis('npm run repartition (the real CLI against a real redis-server)', (backend) => {
  let archiveDir: string;
  beforeEach(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'day15-repartition-cli-'));
  });
  afterEach(async () => {
    await rm(archiveDir, { recursive: true, force: true });
  });
  afterAll(killAppProcesses);

  async function cli(prefix: string, ...args: string[]) {
    const run = startAppProcess(
      'scripts/repartition/main.ts',
      {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
        DAY15_KEY_PREFIX: prefix,
        DAY15_ARCHIVE_DIR: archiveDir,
      },
      args,
    );
    return { code: await run.exited, output: run.lines.join('\n') };
  }

  it(
    'when drained, then it writes the outbox to the archive, switches and exits 0; when not, then it names what to do and exits 1',
    async () => {
      const prefix = uniquePrefix('rpcli');
      const queue = testQueue(backend.redis, { prefix, partitions: 1 });
      await queue.enqueue([{ id: 'e1', body: '{}', placementKey: 'u1' }]);
      await queue.finish(
        'c',
        (await queue.claim('c', 1, 10_000)).map((claim) => ({ claim, effects: [] })),
        { processedAt: Date.now() },
      );

      const switched = await cli(prefix, '--to', '3');
      expect(switched.code).toBe(0);
      expect(switched.output).toContain(
        'Wrote 1 outbox entr(ies), 1 archive line(s), to the archive (writer repartition) and removed them',
      );
      const archived = [];
      for await (const { text } of new FileArchiveStore({ dir: archiveDir, retentionDays: 1 }).read()) {
        archived.push(JSON.parse(text) as unknown);
      }
      expect(archived).toEqual([expect.objectContaining({ seq: 1, outcome: 'processed', queue: 'events', event: {} })]);
      expect(switched.output).toContain(`Switched ${prefix}:{events}:partitions to 3 (the commit point)`);
      expect(switched.output).toMatch(/Keys written per new partition: events-3p0 \d+, events-3p1 \d+, events-3p2 \d+/);
      expect(switched.output).toContain(`Done: ${prefix}:{events} now has 3 partition(s) (was 1)`);
      expect(switched.output).toContain('Receivers cannot be checked from Redis');

      await testQueue(backend.redis, { prefix, partitions: 3 }).enqueue([{ id: 'e2', body: '{}' }]);
      const refused = await cli(prefix, '--to', '1');
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('The queue is not drained: 1 ready, 0 in flight, 0 delayed event(s)');
    },
    cliTestTimeoutMs,
  );
});
