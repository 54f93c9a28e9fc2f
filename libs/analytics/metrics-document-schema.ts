// The metrics document (GET /api/metrics, the dashboard, /metrics) as one JSON Schema: MetricsDocument, the
// type readMetrics returns, is derived from it (json-schema-to-ts, type-only), and the receiver's OpenAPI
// document publishes it, so the shape is written once. Closed objects (additionalProperties: false) make a
// field added to readMetrics without a schema entry a compile error, and an answer with an undocumented field
// a failure of the OpenAPI examples test.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

const count = { type: 'integer', minimum: 0 } as const;
const amount = { type: 'number', minimum: 0 } as const;
const maybeAmount = { type: ['number', 'null'], minimum: 0 } as const;
const counts = { type: 'object', additionalProperties: count } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const seriesPoint = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'by_type'],
  properties: { at: dateTime, by_type: counts },
} as const;
const series = { type: 'array', items: seriesPoint } as const;
const signedAmount = { type: 'number' } as const;
const amounts = { type: 'object', additionalProperties: amount } as const;
/** The reasons MRR moves, in the order the metrics document lists them (each day adds their sum, `net`). */
export const movementKinds = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const;
const movementFields = [...movementKinds, 'net'] as const;
const movementFigures = Object.fromEntries(movementFields.map((kind) => [kind, signedAmount])) as Record<
  (typeof movementFields)[number],
  typeof signedAmount
>;
const movements = {
  description: 'why MRR changed, in the base currency (signed: contraction and churn are negative; net is their sum)',
  type: 'object',
  additionalProperties: false,
  required: movementFields,
  properties: movementFigures,
} as const;

/** The metrics windows: 1h (per minute), 24h and 7d (per hour as well). */
export const metricsWindows = ['1h', '24h', '7d'] as const;

/** JSON Schema of the metrics document; see the README section Analytics for what each number means. */
export const metricsDocumentSchema = {
  description: 'The analytics document (libs/analytics readMetrics); see the README section Analytics.',
  type: 'object',
  additionalProperties: false,
  required: [
    'generated_at',
    'window',
    'totals',
    'signups',
    'subscriptions',
    'usage',
    'unique_users_today',
    'active_users',
    'latency_ms',
    'queue',
    'pipeline',
    'series',
  ],
  properties: {
    generated_at: dateTime,
    window: { enum: metricsWindows },
    totals: {
      type: 'object',
      additionalProperties: false,
      required: ['by_type', 'received', 'accepted', 'processed', 'duplicates', 'failed', 'dead_letters', 'redelivered'],
      properties: {
        by_type: counts,
        received: count,
        accepted: count,
        processed: count,
        duplicates: count,
        failed: count,
        dead_letters: count,
        redelivered: count,
      },
    },
    signups: {
      type: 'object',
      additionalProperties: false,
      required: ['total', 'today', 'by_source', 'by_country'],
      properties: { total: count, today: count, by_source: counts, by_country: counts },
    },
    subscriptions: {
      type: 'object',
      additionalProperties: false,
      required: [
        'active',
        'currency',
        'mrr',
        'mrr_by_currency',
        'unconverted',
        'fx',
        'by_plan',
        'churned',
        'unknown_cancellations',
        'movements',
      ],
      properties: {
        active: count,
        currency: {
          type: 'string',
          description: 'the base currency (DAY15_BASE_CURRENCY) of mrr, by_plan and movements',
        },
        mrr: {
          ...amount,
          description:
            'monthly recurring revenue in the base currency, converted at fx; unconverted currencies left out',
        },
        mrr_by_currency: { ...amounts, description: 'exact MRR in each currency' },
        unconverted: { ...amounts, description: 'MRR in currencies without a rate, left out of mrr and movements' },
        fx: {
          type: 'object',
          additionalProperties: false,
          required: ['date', 'rates'],
          properties: {
            date: { type: ['string', 'null'], description: 'the day the rates are valid for (DAY15_FX_RATES_DATE)' },
            rates: { ...amounts, description: 'base units per one unit of each currency (DAY15_FX_RATES)' },
          },
        },
        by_plan: { ...amounts, description: 'MRR by plan in the base currency' },
        churned: count,
        unknown_cancellations: count,
        movements: {
          type: 'object',
          additionalProperties: false,
          required: ['today', 'by_day'],
          properties: {
            today: movements,
            by_day: {
              description: "the last 90 UTC days, oldest first: each day's movements and the MRR at its end",
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['date', ...movementFields, 'mrr_end'],
                properties: { date: { type: 'string' }, ...movementFigures, mrr_end: signedAmount },
              },
            },
          },
        },
      },
    },
    usage: {
      type: 'object',
      additionalProperties: false,
      required: ['by_feature', 'total_duration_ms'],
      properties: {
        by_feature: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['quantity', 'events'],
            properties: { quantity: count, events: count },
          },
        },
        total_duration_ms: amount,
      },
    },
    unique_users_today: { ...count, description: 'distinct users with any event arrived today: active_users.dau' },
    active_users: {
      description: 'distinct users with any event arrived in the last 1, 7 and 30 UTC days',
      type: 'object',
      additionalProperties: false,
      required: ['dau', 'wau', 'mau'],
      properties: { dau: count, wau: count, mau: count },
    },
    latency_ms: {
      type: 'object',
      additionalProperties: false,
      required: ['p50', 'p95', 'p99', 'average', 'buckets', 'sum'],
      properties: {
        p50: maybeAmount,
        p95: maybeAmount,
        p99: maybeAmount,
        average: maybeAmount,
        buckets: counts,
        sum: amount,
      },
    },
    queue: {
      type: 'object',
      additionalProperties: false,
      required: ['ready', 'in_flight', 'delayed', 'dead', 'oldest_ready_age_s'],
      properties: {
        ready: count,
        in_flight: count,
        delayed: count,
        dead: count,
        oldest_ready_age_s: {
          ...amount,
          description: 'seconds since the event at the head of the ready list was enqueued; 0 when none',
        },
      },
    },
    pipeline: {
      type: 'object',
      additionalProperties: false,
      required: ['consumers', 'heartbeat_age_s', 'restarts', 'intake'],
      properties: {
        consumers: {
          description: 'consumers seen in the last 10 minutes, with the seconds since their last heartbeat',
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'last_seen_s'],
            properties: { id: { type: 'string' }, last_seen_s: amount },
          },
        },
        heartbeat_age_s: {
          ...maybeAmount,
          description: 'seconds since any consumer was last seen; null when none was',
        },
        restarts: counts,
        intake: {
          description: 'counts by outcome (accepted, duplicate, rejected) and event type',
          type: 'object',
          additionalProperties: counts,
        },
      },
    },
    series: {
      type: 'object',
      additionalProperties: false,
      required: ['per_minute'],
      properties: { per_minute: series, per_hour: series },
    },
  },
} as const satisfies JSONSchema;

/** The metrics document: what readMetrics returns and GET /api/metrics answers. */
export type MetricsDocument = FromSchema<typeof metricsDocumentSchema>;
/** A metrics window: `1h`, `24h` or `7d`. */
export type MetricsWindow = (typeof metricsWindows)[number];
