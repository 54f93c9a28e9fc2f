import { eventTypes } from '../events/index.js';
import type { DataSnapshot, PartitionedQueue, QueueStats } from '../queue/index.js';
import {
  analyticsKeys as k,
  dayNumber,
  dayStamp,
  hourStamp,
  latencySumField,
  minuteStamp,
  movementDays,
} from './analytics-keys.js';
import type { MetricsDocument, MetricsWindow } from './metrics-document-schema.js';
import { analyticsKeyOf } from './generation-keys.js';
import { percentileFromBuckets } from './percentiles.js';
import { defaultMoney, subscriptionFigures, type Money } from './subscription-figures.js';

export interface MetricsOptions {
  now?: number;
  /** 1h: the last 60 minutes per minute; 24h and 7d: per hour as well. */
  window?: MetricsWindow;
  /** The base currency and conversion rates (the configuration's analytics settings); USD and none by default. */
  money?: Money;
}

type Counts = Record<string, number>;
type SeriesPoint = MetricsDocument['series']['per_minute'][number];

const fixedHashes = [
  k.byType,
  k.signups,
  k.signupsBySource,
  k.signupsByCountry,
  k.signupsByDay,
  k.subscriptions,
  k.mrrByPlan,
  k.usageQuantity,
  k.usageEvents,
  k.usageTotals,
  k.latency,
  k.restarts,
] as const;
/** One Counts per name of a tuple of hash names, in the same order. */
type CountsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: Counts };
const hoursOf: Record<MetricsWindow, number> = { '1h': 0, '24h': 24, '7d': 168 };

/** The queue operations the metrics are read through; the queue owns the client and its error mapping. */
export type MetricsSource = Pick<PartitionedQueue, 'partitions' | 'stats'>;

/**
 * The metrics document behind GET /api/metrics, the dashboard and /metrics: queue stats in one pipeline per
 * partition (then, when events are ready, one read of the oldest one's enqueue time), everything else in one
 * more per partition, all partitions at once. The partitions' figures add up exactly: counters, money sums and
 * histogram buckets are summed (percentiles come from the merged buckets), and active users are disjoint
 * because a user's events all go to one partition. Consumer heartbeats and restarts are kept in partition 0 only.
 * Fails with the queue's QueueUnavailableError when Redis is away.
 */
export async function readMetrics(queue: MetricsSource, options: MetricsOptions = {}): Promise<MetricsDocument> {
  const now = options.now ?? Date.now();
  const window = options.window ?? '1h';
  const minutes = Array.from({ length: 60 }, (_, i) => now - (59 - i) * 60_000);
  const hours = Array.from({ length: hoursOf[window] }, (_, i) => now - (hoursOf[window] - 1 - i) * 3_600_000);
  const movementDates = Array.from({ length: movementDays }, (_, i) => now - (movementDays - 1 - i) * 86_400_000);
  const names = [
    ...fixedHashes,
    ...minutes.map((at) => k.minute(minuteStamp(at))),
    ...hours.map((at) => k.hour(hourStamp(at))),
    ...movementDates.map((at) => k.movements(dayStamp(at))),
  ];
  const today = dayNumber(now);
  const home = queue.partitions[0];
  const [stats, snapshots] = await Promise.all([
    queue.stats({ oldestReady: true }),
    // Readers follow partition 0's live generation (a rebuild switches it first, while every partition still
    // writes both generations), so all partitions are read in the same one.
    (home ? home.generationStateNow() : Promise.resolve({ live: 0 })).then(({ live }) =>
      Promise.all(
        queue.partitions.map((partition) =>
          partition.readData({
            hashes: [
              ...names.map((name) => analyticsKeyOf(partition.keys, live, name)),
              partition.keys.intake,
              partition.keys.consumers,
            ],
            scoreCounts: [1, 7, 30].map((days) => ({
              key: analyticsKeyOf(partition.keys, live, k.activeUsers),
              min: today - days + 1,
              max: today,
            })),
          }),
        ),
      ),
    ),
  ]);
  const counts = (i: number): Counts => sumOver(snapshots, (snapshot) => toCounts(snapshot.hashes[i]));
  const [
    byType,
    signups,
    bySource,
    byCountry,
    byDay,
    subs,
    byPlan,
    quantity,
    usageEvents,
    usageTotals,
    latency,
    restarts,
  ] = fixedHashes.map((_, i) => counts(i)) as CountsOf<typeof fixedHashes>;
  const series = (stamps: number[], offset: number, unitMs: number): SeriesPoint[] =>
    stamps.map((at, i) => ({ at: new Date(at - (at % unitMs)).toISOString(), by_type: counts(offset + i) }));
  const movementsAt = fixedHashes.length + minutes.length + hours.length;
  const tail = movementsAt + movementDates.length;
  const [dau = 0, wau = 0, mau = 0] = [0, 1, 2].map((i) =>
    snapshots.reduce((sum, snapshot) => sum + (snapshot.scoreCounts[i] ?? 0), 0),
  );
  const latencyCount = Object.entries(latency)
    .filter(([field]) => field !== latencySumField)
    .reduce((sum, [, n]) => sum + n, 0);
  const latencySum = latency[latencySumField] ?? 0;
  return {
    generated_at: new Date(now).toISOString(),
    window,
    totals: totalsOf(byType, stats),
    signups: {
      total: signups.total ?? 0,
      today: byDay[dayStamp(now)] ?? 0,
      by_source: bySource,
      by_country: byCountry,
    },
    subscriptions: subscriptionFigures(
      subs,
      byPlan,
      movementDates.map((at, i) => ({ date: new Date(at).toISOString().slice(0, 10), cents: counts(movementsAt + i) })),
      options.money ?? defaultMoney,
    ),
    usage: {
      by_feature: Object.fromEntries(
        Object.keys(usageEvents).map((feature) => [
          feature,
          { quantity: quantity[feature] ?? 0, events: usageEvents[feature] ?? 0 },
        ]),
      ),
      total_duration_ms: usageTotals.duration_ms ?? 0,
    },
    unique_users_today: dau,
    active_users: { dau, wau, mau },
    latency_ms: {
      p50: percentileFromBuckets(latency, 0.5),
      p95: percentileFromBuckets(latency, 0.95),
      p99: percentileFromBuckets(latency, 0.99),
      average: latencyCount === 0 ? null : Math.round((latencySum / latencyCount) * 100) / 100,
      buckets: Object.fromEntries(Object.entries(latency).filter(([field]) => field !== latencySumField)),
      sum: latencySum,
    },
    queue: {
      ready: stats.ready,
      in_flight: stats.inFlight,
      delayed: stats.delayed,
      dead: stats.dead,
      oldest_ready_age_s: ageSeconds(stats.oldestReadyAt, now),
    },
    pipeline: pipelineOf(counts(tail), counts(tail + 1), restarts, now),
    series: {
      per_minute: series(minutes, fixedHashes.length, 60_000),
      ...(hours.length > 0 ? { per_hour: series(hours, fixedHashes.length + minutes.length, 3_600_000) } : {}),
    },
  };
}

function totalsOf(byType: Counts, stats: QueueStats): MetricsDocument['totals'] {
  const c = stats.counters;
  return {
    by_type: Object.fromEntries(eventTypes.map((type) => [type, byType[type] ?? 0])),
    received: c.accepted + c.duplicates,
    accepted: c.accepted,
    processed: c.acked,
    duplicates: c.duplicates,
    failed: c.failed_attempts,
    dead_letters: stats.dead,
    redelivered: c.redelivered,
  };
}

function pipelineOf(
  intakeFields: Counts,
  lastSeen: Counts,
  restarts: Counts,
  now: number,
): MetricsDocument['pipeline'] {
  const intake: Record<string, Counts> = {};
  for (const [field, count] of Object.entries(intakeFields)) {
    const [outcome = '', type = ''] = field.split(':');
    (intake[outcome] ??= {})[type] = count;
  }
  const consumers = Object.entries(lastSeen)
    .map(([id, at]) => ({ id, last_seen_s: Math.max(0, Math.round((now - at) / 100) / 10) }))
    .filter((consumer) => consumer.last_seen_s < 600)
    .sort((a, b) => a.id.localeCompare(b.id));
  const ages = consumers.map((consumer) => consumer.last_seen_s);
  return { consumers, heartbeat_age_s: ages.length === 0 ? null : Math.min(...ages), restarts, intake };
}

/** Field-wise sum of the partitions' counts. */
function sumOver(snapshots: readonly DataSnapshot[], countsOf: (snapshot: DataSnapshot) => Counts): Counts {
  const total: Counts = {};
  for (const snapshot of snapshots) {
    for (const [field, n] of Object.entries(countsOf(snapshot))) total[field] = (total[field] ?? 0) + n;
  }
  return total;
}

function toCounts(hash: Record<string, string> | undefined): Counts {
  return Object.fromEntries(Object.entries(hash ?? {}).map(([field, value]) => [field, Number(value)]));
}

// Tenths of a second, never negative (hosts' clocks may differ a little; see QueueOptions.clock).
const ageSeconds = (at: number | null | undefined, now: number): number =>
  at == null ? 0 : Math.max(0, Math.round((now - at) / 100) / 10);
