import type { JobsOptions } from 'bullmq';

// REFERENCE, NOT A PRODUCT (issue 17): what the Express 5 + BullMQ receiver (express-bullmq-receiver.ts),
// its worker (bullmq-worker.ts) and the benchmark's prefill (bullmq-drain.ts) agree on. It is the pipeline a
// Node developer would hand-roll, measured in the same run as Day15 so "N x BullMQ" can be rerun by anyone.

export const queueName = 'events';

/**
 * The reference's reliability settings, the nearest BullMQ has to Day15's defaults: the job id is the
 * event_id, and BullMQ ignores a job whose id it still holds, so completed jobs are kept for the 24 h that
 * Day15 keeps its deduplication keys; a failing job is retried 3 times in all, as Day15 does.
 */
export const jobOptions: JobsOptions = {
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
};

/** The worker's two counters: events by type (a hash), and all events. */
export const countsByTypeKey = 'counts:by_type';
export const countsTotalKey = 'counts:total';

/** A job's data: the event as received, with the time it was received. */
export type BenchJobData = { event_id: string; event_type: string } & Record<string, unknown>;
