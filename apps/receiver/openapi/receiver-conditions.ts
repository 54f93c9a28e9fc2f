import type { ReceiverCondition } from './openapi-types.js';

// The receivers, other than one with the defaults, that the examples' answers need (x-day15-receiver). Each
// example that names a limit names the one its condition sets, so the answer documented is the answer given.

/** The example Standard Webhooks secret (the one standardwebhooks.com uses); the `signed` examples use it. */
export const exampleSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The lowered limits of `small_limits`. */
export const smallLimits = { maxEventBytes: 256, maxBatchBytes: 1024, maxBatchEvents: 2 };

export const signedReceiver: ReceiverCondition = {
  name: 'signed',
  description: 'signatures are checked, with the example secret',
  settings: { DAY15_WEBHOOK_SECRETS: exampleSecret },
};

export const smallLimitsReceiver: ReceiverCondition = {
  name: 'small_limits',
  description: 'body and batch limits lowered, so a short example crosses them',
  settings: {
    DAY15_MAX_EVENT_BYTES: String(smallLimits.maxEventBytes),
    DAY15_MAX_BATCH_BYTES: String(smallLimits.maxBatchBytes),
    DAY15_MAX_BATCH_EVENTS: String(smallLimits.maxBatchEvents),
  },
};

export const redisUnreachableReceiver: ReceiverCondition = {
  name: 'redis_unreachable',
  description: 'Redis does not answer: nothing listens at its address',
  settings: { DAY15_REDIS_URL: 'redis://127.0.0.1:1' },
};

export const queueFullReceiver: ReceiverCondition = {
  name: 'queue_full',
  description: 'the ready backlog is at its maximum: one event waits, no consumer runs',
  settings: { DAY15_MAX_QUEUE_DEPTH: '1' },
};
