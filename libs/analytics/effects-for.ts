import type { Day15Event, EventType, MetadataByType } from '../events/index.js';
import type { Effect } from '../queue/index.js';
import {
  analyticsKeys as k,
  bucketLabel,
  dayStamp,
  hourStamp,
  hourlyRetentionSeconds,
  latencyBucketsMs,
  latencySumField,
  minuteStamp,
  seriesRetentionSeconds,
  subscriptionFields as f,
} from './analytics-keys.js';

export interface EffectContext {
  /** Processing time (ms); with the event's received_at it gives the end-to-end latency. */
  now: number;
}

type Rules = { [T in EventType]: (event: Extract<Day15Event, { event_type: T }>, receivedAt: number) => Effect[] };

/**
 * What one processed event changes in the analytics, as data for the queue's atomic ack.
 * Time buckets (per-minute series, users of the day) use the time the event was received, so the live
 * dashboard moves with arrivals; subscription ordering uses the event's own timestamp.
 */
export function effectsFor(event: Day15Event, { now }: EffectContext): Effect[] {
  const receivedAt = parseTime(event.received_at) ?? now;
  const minuteKey = k.minute(minuteStamp(receivedAt));
  const hourKey = k.hour(hourStamp(receivedAt));
  const latency = Math.max(0, now - receivedAt);
  const common: Effect[] = [
    { op: 'hincrby', key: k.byType, field: event.event_type, by: 1 },
    { op: 'hincrby', key: minuteKey, field: event.event_type, by: 1 },
    { op: 'expire', key: minuteKey, seconds: seriesRetentionSeconds },
    { op: 'hincrby', key: k.latency, field: latencyBucket(latency), by: 1 },
    { op: 'hincrbyfloat', key: k.latency, field: latencySumField, by: latency },
    { op: 'hincrby', key: hourKey, field: event.event_type, by: 1 },
    { op: 'expire', key: hourKey, seconds: hourlyRetentionSeconds },
  ];
  const rule = rules[event.event_type] as (e: Day15Event, receivedAt: number) => Effect[];
  return [...common, ...rule(event, receivedAt)];
}

const rules: Rules = {
  user_signup: (event, receivedAt) => {
    const meta: MetadataByType['user_signup'] = event.metadata ?? {};
    const day = dayStamp(receivedAt);
    const effects: Effect[] = [
      { op: 'hincrby', key: k.signups, field: 'total', by: 1 },
      { op: 'hincrby', key: k.signupsBySource, field: meta.source ?? 'unknown', by: 1 },
      { op: 'hincrby', key: k.signupsByCountry, field: meta.country ?? 'unknown', by: 1 },
      { op: 'hincrby', key: k.signupsByDay, field: day, by: 1 },
    ];
    if (event.user_id) {
      effects.push(
        { op: 'sadd', key: k.usersOfDay(day), member: event.user_id },
        { op: 'expire', key: k.usersOfDay(day), seconds: seriesRetentionSeconds },
      );
    }
    return effects;
  },
  subscription_created: (event) => subscriptionChange(event),
  subscription_updated: (event) => subscriptionChange(event),
  subscription_cancelled: (event) => {
    if (!event.user_id) return [];
    return [
      subscriptionState(event.user_id, event.timestamp, {
        live: false,
        fields: {
          status: 'cancelled',
          cancelled_at: event.timestamp,
          ...(event.metadata?.reason ? { reason: event.metadata.reason } : {}),
        },
      }),
    ];
  },
  usage_tracked: (event) => {
    const meta: MetadataByType['usage_tracked'] = event.metadata ?? {};
    const feature = meta.feature ?? 'unknown';
    return [
      { op: 'hincrby', key: k.usageQuantity, field: feature, by: meta.quantity ?? 0 },
      { op: 'hincrby', key: k.usageEvents, field: feature, by: 1 },
      { op: 'hincrbyfloat', key: k.usageTotals, field: 'duration_ms', by: meta.duration_ms ?? 0 },
    ];
  },
};

function subscriptionChange(
  event: Extract<Day15Event, { event_type: 'subscription_created' | 'subscription_updated' }>,
): Effect[] {
  if (!event.user_id) return [];
  const meta: MetadataByType['subscription_created'] = event.metadata ?? {};
  return [
    subscriptionState(event.user_id, event.timestamp, {
      live: true,
      group: meta.plan,
      value: meta.amount === undefined ? undefined : monthlyCents(meta.amount, meta.billing_cycle),
      fields: { status: 'active', updated_at: event.timestamp, ...(meta.currency ? { currency: meta.currency } : {}) },
    }),
  ];
}

/** MRR counts in whole cents, so adding and removing a subscription's share never leaves float dust. */
export function monthlyCents(amount: number, cycle: 'monthly' | 'annual' | undefined): number {
  return Math.round((cycle === 'annual' ? amount / 12 : amount) * 100);
}

function subscriptionState(
  userId: string,
  timestamp: string,
  change: { live: boolean; group?: string; value?: number; fields: Record<string, string> },
): Effect {
  return {
    op: 'contribution',
    key: k.subscription(userId),
    version: parseTime(timestamp) ?? 0,
    ...change,
    totalsKey: k.subscriptions,
    valueField: f.mrrCents,
    liveField: f.active,
    endField: f.churned,
    orphanField: f.unknownCancellations,
    byGroupKey: k.mrrByPlan,
  };
}

function latencyBucket(ms: number): string {
  return bucketLabel(latencyBucketsMs.find((upper) => ms <= upper) ?? Infinity);
}

function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
