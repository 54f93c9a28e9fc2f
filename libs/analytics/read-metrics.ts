import { eventTypes } from '../events/index.js';
import type { QueueStats, ReliableQueue } from '../queue/index.js';
import { analyticsKeys as k, dayStamp, minuteStamp, subscriptionFields as f } from './analytics-keys.js';
import { percentileFromBuckets } from './percentiles.js';

export interface MetricsOptions {
  now?: number;
  /** Minutes of per-minute series to return, newest last (at most 48 h are kept). */
  minutes?: number;
}

type Counts = Record<string, number>;

export interface MetricsDocument {
  generated_at: string;
  totals: {
    by_type: Counts; received: number; accepted: number; processed: number; duplicates: number;
    failed: number; dead_letters: number; redelivered: number;
  };
  signups: { total: number; today: number; by_source: Counts; by_country: Counts };
  subscriptions: { active: number; mrr: number; by_plan: Counts; churned: number; unknown_cancellations: number };
  usage: { by_feature: Record<string, { quantity: number; events: number }>; total_duration_ms: number };
  unique_users_today: number;
  latency_ms: { p50: number | null; p95: number | null; p99: number | null };
  queue: { ready: number; in_flight: number; delayed: number; dead: number };
  series: { per_minute: { minute: string; by_type: Counts }[] };
}

// The metrics document the dashboard and GET /api/metrics show: queue stats in one round trip, every
// analytics hash in one pipeline.
export async function readMetrics(queue: Pick<ReliableQueue, 'keys' | 'stats' | 'redis'>, options: MetricsOptions = {}): Promise<MetricsDocument> {
  const now = options.now ?? Date.now();
  const count = options.minutes ?? 60;
  const minutes = Array.from({ length: count }, (_, i) => now - (count - 1 - i) * 60_000);
  const data = queue.keys.data;
  const hashes = [k.byType, k.signups, k.signupsBySource, k.signupsByCountry, k.signupsByDay, k.subscriptions, k.mrrByPlan,
    k.usageQuantity, k.usageEvents, k.usageTotals, k.latency, ...minutes.map((m) => k.minute(minuteStamp(m)))];
  const pipeline = queue.redis.pipeline();
  for (const name of hashes) pipeline.hgetall(data(name));
  pipeline.scard(data(k.usersOfDay(dayStamp(now))));
  const [stats, replies] = await Promise.all([queue.stats(), pipeline.exec()]);
  const values = (replies ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const counts = (i: number): Counts => toCounts(values[i] as Record<string, string> | undefined);
  const [byType, signups, bySource, byCountry, byDay, subs, byPlan, quantity, usageEvents, usageTotals, latency] =
    Array.from({ length: 11 }, (_, i) => counts(i)) as [Counts, Counts, Counts, Counts, Counts, Counts, Counts, Counts, Counts, Counts, Counts];
  return {
    generated_at: new Date(now).toISOString(),
    totals: totalsOf(byType, stats),
    signups: { total: signups.total ?? 0, today: byDay[dayStamp(now)] ?? 0, by_source: bySource, by_country: byCountry },
    subscriptions: {
      active: subs[f.active] ?? 0,
      mrr: centsToAmount(subs[f.mrrCents] ?? 0),
      by_plan: Object.fromEntries(Object.entries(byPlan).filter(([, cents]) => cents !== 0).map(([plan, cents]) => [plan, centsToAmount(cents)])),
      churned: subs[f.churned] ?? 0,
      unknown_cancellations: subs[f.unknownCancellations] ?? 0,
    },
    usage: {
      by_feature: Object.fromEntries(Object.keys(usageEvents).map((feature) => [feature, { quantity: quantity[feature] ?? 0, events: usageEvents[feature] ?? 0 }])),
      total_duration_ms: usageTotals.duration_ms ?? 0,
    },
    unique_users_today: Number(values[hashes.length] ?? 0),
    latency_ms: { p50: percentileFromBuckets(latency, 0.5), p95: percentileFromBuckets(latency, 0.95), p99: percentileFromBuckets(latency, 0.99) },
    queue: { ready: stats.ready, in_flight: stats.inFlight, delayed: stats.delayed, dead: stats.dead },
    series: { per_minute: minutes.map((m, i) => ({ minute: new Date(m - (m % 60_000)).toISOString(), by_type: counts(11 + i) })) },
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

function toCounts(hash: Record<string, string> | undefined): Counts {
  return Object.fromEntries(Object.entries(hash ?? {}).map(([field, value]) => [field, Number(value)]));
}

const centsToAmount = (cents: number): number => Math.round(cents) / 100;
