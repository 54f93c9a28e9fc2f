// Names of the analytics data, relative to the queue's key base (QueueKeys.data), so the ack script can
// update them atomically with the events they come from. One place, read by effects and metrics alike.

export const analyticsKeys = {
  byType: 'a:by_type',
  signups: 'a:signups',
  signupsBySource: 'a:signups:by_source',
  signupsByCountry: 'a:signups:by_country',
  signupsByDay: 'a:signups:by_day',
  /** User id -> the last day (days since the epoch, UTC) an event of theirs arrived: DAU, WAU and MAU. */
  activeUsers: 'a:active',
  /** The MRR movements dated on a UTC day (fields `<kind>:<currency>`, signed amounts in cents). */
  movements: (day: string) => `a:mov:${day}`,
  subscription: (userId: string) => `a:sub:${userId}`,
  subscriptions: 'a:subs',
  mrrByPlan: 'a:subs:mrr_by_plan',
  usageQuantity: 'a:usage:quantity',
  usageEvents: 'a:usage:events',
  usageTotals: 'a:usage',
  latency: 'a:latency_ms',
  minute: (minute: string) => `a:minute:${minute}`,
  hour: (hour: string) => `a:hour:${hour}`,
  /** Process name -> restarts by the orchestrator. */
  restarts: 'a:restarts',
} as const;

/** Fields of the subscriptions totals hash (see the contribution effect). */
export const subscriptionFields = {
  mrrCents: 'mrr_cents',
  active: 'active',
  churned: 'churned',
  unknownCancellations: 'unknown_cancellations',
} as const;

/** Per-minute series are kept this long. */
export const seriesRetentionSeconds = 48 * 3600;
/** Active users are remembered this many days back: enough for MAU (the last 30 days, today included). */
export const activeUserDays = 31;
/** MRR movements are kept this long: the 90 days the metrics show, and a margin. */
export const movementRetentionSeconds = 92 * 24 * 3600;
/** The days shown in subscriptions.movements.by_day. */
export const movementDays = 90;
/** Per-hour series are kept this long (a 7-day window plus a day). */
export const hourlyRetentionSeconds = 8 * 24 * 3600;
/** Field of the latency hash holding the sum of all latencies (ms), for averages and Prometheus. */
export const latencySumField = 'sum_ms';

/** Upper bounds (ms) of the end-to-end latency histogram; the last bucket is open-ended. */
export const latencyBucketsMs = [
  5,
  10,
  25,
  50,
  100,
  250,
  500,
  1000,
  2500,
  5000,
  10_000,
  30_000,
  60_000,
  Infinity,
] as const;

export const bucketLabel = (upperMs: number): string => (upperMs === Infinity ? 'inf' : String(upperMs));

/** UTC day and minute stamps used in key names: 20261126 and 202611261430. */
/** Days since the epoch (UTC) of a time in ms: the score of an active user. */
export const dayNumber = (ms: number): number => Math.floor(ms / 86_400_000);
// Slices of the ISO string rather than a regular expression: every event computes three of them.
const digitsOf = (ms: number, end: 10 | 13 | 16): string => {
  const iso = new Date(ms).toISOString();
  const day = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  return end === 10 ? day : end === 13 ? day + iso.slice(11, 13) : day + iso.slice(11, 13) + iso.slice(14, 16);
};
export const dayStamp = (ms: number): string => digitsOf(ms, 10);
export const minuteStamp = (ms: number): string => digitsOf(ms, 16);
export const hourStamp = (ms: number): string => digitsOf(ms, 13);
