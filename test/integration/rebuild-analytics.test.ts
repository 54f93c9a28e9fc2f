import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConsumer } from '../../apps/consumer/consumer.js';
import {
  analyticsKeyOf,
  effectsFor,
  placementKey,
  readMetrics,
  type EffectContext,
  type MetricsDocument,
} from '../../libs/analytics/index.js';
import { FileArchiveStore, openArchiveQuery } from '../../libs/archive/index.js';
import { loadConfig } from '../../libs/config/index.js';
import type { Day15Event } from '../../libs/events/index.js';
import { createQueue, type Effect, type PartitionedQueue } from '../../libs/queue/index.js';
import { rebuildAnalytics } from '../../scripts/rebuild-analytics/rebuild.js';
import { RebuildRunningError } from '../../scripts/rebuild-analytics/rebuild-lock.js';
import { captureLogger } from '../support/capture-logger.js';
import { clusterTestPartitions, uniquePrefix, withContractBackends } from '../support/backends.js';
import { waitForDrained } from '../../tools/wait.js';

const day = '2026-11-26';
const at = (time: string) => `${day}T${time}Z`;

function event(id: string, type: string, user: string | undefined, timestamp: string, metadata: object = {}) {
  return { event_id: id, event_type: type, ...(user ? { user_id: user } : {}), timestamp: at(timestamp), metadata };
}

/** Signups, a subscription lifecycle per user (new, expansion, contraction, churn, reactivation) and usage. */
function scenario(round: number): Record<string, unknown>[] {
  return Array.from({ length: 8 }, (_, i) => {
    const user = `r${round}u${i}`;
    return [
      event(`${user}-signup`, 'user_signup', user, '08:00:00', { source: i % 2 ? 'ads' : 'organic', country: 'DE' }),
      event(`${user}-created`, 'subscription_created', user, '09:00:00', {
        plan: 'basic',
        amount: 29,
        ...(i % 3 === 0 ? { currency: 'EUR' } : {}),
      }),
      event(`${user}-up`, 'subscription_updated', user, '10:00:00', { plan: 'premium', amount: 99 + i }),
      ...(i % 2 === 0 ? [event(`${user}-cancel`, 'subscription_cancelled', user, '11:00:00')] : []),
      ...(i % 4 === 0
        ? [event(`${user}-back`, 'subscription_created', user, '12:00:00', { plan: 'basic', amount: 29 })]
        : []),
      event(`${user}-use`, 'usage_tracked', i % 3 ? user : undefined, '12:30:00', { feature: 'api', quantity: i }),
    ];
  }).flat();
}

withContractBackends('npm run rebuild-analytics (scripts/rebuild-analytics/rebuild.ts)', (backend) => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'day15-rebuild-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function pipeline() {
    const prefix = uniquePrefix();
    const partitions = backend.name === 'Redis Cluster' ? clusterTestPartitions : 3;
    const config = loadConfig({
      env: {
        DAY15_KEY_PREFIX: prefix,
        DAY15_PARTITIONS: String(partitions),
        DAY15_ARCHIVE_ENABLED: 'true',
        DAY15_ARCHIVE_DIR: dir,
        DAY15_RETRY_DELAY_SECONDS: '0.01',
      },
      envFile: '/nonexistent/.env',
    });
    const queue = createQueue(backend.redis, config);
    const send = (events: Record<string, unknown>[]) =>
      queue.enqueue(
        events.map((e) => ({
          id: String(e.event_id),
          label: String(e.event_type),
          body: JSON.stringify({ ...e, received_at: new Date().toISOString() }),
          ...(placementKey(e as Day15Event) ? { placementKey: placementKey(e as Day15Event) } : {}),
        })),
      );
    const process = async (events: Record<string, unknown>[]) => {
      const { logger } = captureLogger('consumer');
      const consumer = createConsumer({
        config,
        queue,
        logger,
        archive: new FileArchiveStore({ dir, retentionDays: 90 }),
      });
      await send(events);
      consumer.start();
      await waitForDrained(queue, { timeoutMs: 60_000 });
      await consumer.stop();
    };
    const rebuild = (rules = effectsFor, lines: string[] = []) =>
      rebuildAnalytics({
        redis: backend.redis,
        queue,
        prefix,
        store: new FileArchiveStore({ dir, retentionDays: 90 }),
        effectsFor: rules,
        baseCurrency: 'USD',
        report: (line) => lines.push(line),
      });
    return { queue, prefix, send, process, rebuild };
  }

  const now = Date.now();
  const comparable = (doc: MetricsDocument) => ({ ...doc, generated_at: 'x' });

  it('rebuilds the same metrics document from the archive when nothing changed, and archives each event once', async () => {
    const { queue, process, rebuild } = pipeline();
    const events = [...scenario(1), ...scenario(2)];
    await process(events);
    const live = await readMetrics(queue, { now });
    expect(live.totals.processed).toBe(events.length);

    const result = await rebuild();
    expect(result).toMatchObject({ generation: 1, replaced: 0, replayed: events.length, skipped: 0, problems: 0 });
    expect(result.deletedKeys).toBeGreaterThan(0);
    expect(comparable(await readMetrics(queue, { now }))).toEqual(comparable(live));

    // And again: generations keep counting up, the result stays the same.
    expect((await rebuild()).generation).toBe(2);
    expect(comparable(await readMetrics(queue, { now }))).toEqual(comparable(live));

    const archive = await openArchiveQuery({
      store: new FileArchiveStore({ dir, retentionDays: 90 }),
      onProblem: () => undefined,
    });
    expect(await archive.all('select event_type, count(*)::INT as n from events group by 1 order by 1')).toEqual(
      Object.entries(live.totals.by_type ?? {})
        .map(([event_type, n]) => ({ event_type, n }))
        .sort((a, b) => a.event_type.localeCompare(b.event_type)),
    );
    await archive.close();
  }, 120_000);

  it('applies a new rule to past events: the rebuilt generation counts every archived event with it', async () => {
    const { queue, process, rebuild } = pipeline();
    const events = scenario(3);
    await process(events);
    const withNewRule = (e: Day15Event, context: EffectContext): Effect[] => [
      ...effectsFor(e, context),
      { op: 'hincrby', key: 'a:by_type', field: `rule:${e.event_type}`, by: 1 },
    ];
    const { generation } = await rebuild(withNewRule);
    const counted = await Promise.all(
      queue.partitions.map(async (partition: PartitionedQueue['home']) => {
        const [hash] = (await partition.readData({ hashes: [analyticsKeyOf(partition.keys, generation, 'a:by_type')] }))
          .hashes;
        return Number(hash?.['rule:user_signup'] ?? 0);
      }),
    );
    expect(counted.reduce((sum, n) => sum + n, 0)).toBe(events.filter((e) => e.event_type === 'user_signup').length);
  }, 120_000);

  it('refuses a second rebuild while one holds the lock, and changes nothing', async () => {
    const { queue, process, rebuild } = pipeline();
    await process(scenario(4));
    const before = await readMetrics(queue, { now });
    await backend.redis.set(queue.home.keys.rebuildLock, 'another rebuild', 'PX', 10_000);
    await expect(rebuild()).rejects.toThrow(RebuildRunningError);
    expect(await queue.home.generationStateNow()).toMatchObject({ live: 0, building: null });
    expect(comparable(await readMetrics(queue, { now }))).toEqual(comparable(before));
  }, 120_000);
});
