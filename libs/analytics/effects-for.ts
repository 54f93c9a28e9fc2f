import type { Day15Event, EventType, MetadataByType } from '../events/index.js';
import type { Effect } from '../queue/index.js';
import {
  analyticsKeys as k,
  activeUserDays,
  bucketLabel,
  dayNumber,
  dayStamp,
  hourStamp,
  hourlyRetentionSeconds,
  latencyBucketsMs,
  latencySumField,
  minuteStamp,
  movementRetentionSeconds,
  seriesRetentionSeconds,
  subscriptionFields as f,
} from './analytics-keys.js';

export interface EffectContext {
  /** Processing time (ms); with the event's received_at it gives the end-to-end latency. */
  now: number;
  /** DAY15_BASE_CURRENCY: the currency of subscription amounts that name none (USD when omitted). */
  baseCurrency?: string;
}

type Rules = {
  [T in EventType]: (event: Extract<Day15Event, { event_type: T }>, at: Times) => Effect[];
};

/** When the event arrived and when it is processed (ms), and the base currency: what the rules depend on besides the event. */
interface Times {
  receivedAt: number;
  now: number;
  baseCurrency: string;
}

/**
 * What one processed event changes in the analytics, as data for the queue's atomic ack.
 * Time buckets (per-minute series, active users) use the time the event was received, so the live
 * dashboard moves with arrivals; subscription ordering and MRR movements use the event's own timestamp.
 */
export function effectsFor(event: Day15Event, { now, baseCurrency = 'USD' }: EffectContext): Effect[] {
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
  if (event.user_id) {
    const day = dayNumber(receivedAt);
    common.push(
      { op: 'zmax', key: k.activeUsers, score: day, members: [event.user_id] },
      { op: 'ztrimbelow', key: k.activeUsers, score: day - activeUserDays + 1 },
    );
  }
  const rule = rules[event.event_type] as (e: Day15Event, at: Times) => Effect[];
  return [...common, ...rule(event, { receivedAt, now, baseCurrency })];
}

const rules: Rules = {
  user_signup: (event, { receivedAt }) => {
    const meta: MetadataByType['user_signup'] = event.metadata ?? {};
    return [
      { op: 'hincrby', key: k.signups, field: 'total', by: 1 },
      { op: 'hincrby', key: k.signupsBySource, field: meta.source ?? 'unknown', by: 1 },
      { op: 'hincrby', key: k.signupsByCountry, field: meta.country ?? 'unknown', by: 1 },
      { op: 'hincrby', key: k.signupsByDay, field: dayStamp(receivedAt), by: 1 },
    ];
  },
  subscription_created: (event, at) => subscriptionChange(event, at),
  subscription_updated: (event, at) => subscriptionChange(event, at),
  subscription_cancelled: (event, at) => {
    if (!event.user_id) return [];
    return subscriptionState(event.user_id, event.timestamp, at, {
      live: false,
      fields: {
        status: 'cancelled',
        cancelled_at: event.timestamp,
        ...(event.metadata?.reason ? { reason: event.metadata.reason } : {}),
      },
    });
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
  at: Times,
): Effect[] {
  if (!event.user_id) return [];
  const meta: MetadataByType['subscription_created'] = event.metadata ?? {};
  return subscriptionState(event.user_id, event.timestamp, at, {
    live: true,
    group: meta.plan,
    value: meta.amount === undefined ? undefined : monthlyCents(meta.amount, meta.billing_cycle),
    // An update without a currency keeps the stored one; a new subscription without one is in the base.
    unit: meta.currency ?? (event.event_type === 'subscription_created' ? at.baseCurrency : undefined),
    fields: { status: 'active', updated_at: event.timestamp },
  });
}

/** MRR counts in whole cents, so adding and removing a subscription's share never leaves float dust. */
export function monthlyCents(amount: number, cycle: 'monthly' | 'annual' | undefined): number {
  return Math.round((cycle === 'annual' ? amount / 12 : amount) * 100);
}

/**
 * The subscription's new state as a versioned contribution (last writer wins by event time), with its MRR
 * movement recorded on the event's UTC day, or on the processing day for an event stamped in the future (a
 * day that has not happened yet has no movements to show).
 */
function subscriptionState(
  userId: string,
  timestamp: string,
  at: Times,
  change: { live: boolean; group?: string; value?: number; unit?: string; fields: Record<string, string> },
): Effect[] {
  const version = parseTime(timestamp) ?? at.now;
  const movementsKey = k.movements(dayStamp(Math.min(version, at.now)));
  return [
    {
      op: 'contribution',
      key: k.subscription(userId),
      version,
      ...change,
      totalsKey: k.subscriptions,
      valueField: f.mrrCents,
      liveField: f.active,
      endField: f.churned,
      orphanField: f.unknownCancellations,
      byGroupKey: k.mrrByPlan,
      movementsKey,
    },
    { op: 'expire', key: movementsKey, seconds: movementRetentionSeconds },
  ];
}

function latencyBucket(ms: number): string {
  return bucketLabel(latencyBucketsMs.find((upper) => ms <= upper) ?? Infinity);
}

function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
