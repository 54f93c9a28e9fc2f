// REFERENCE, NOT A PRODUCT (issue 17): the BullMQ worker a Node developer would hand-roll next to
// express-bullmq-receiver.ts: 50 jobs at a time, two counters per event (by type, and in all). Day15's
// consumer is measured with its full analytics against these two counters.
// Usage: node --import tsx scripts/bench/peers/bullmq-worker.ts <redis url>
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { countsByTypeKey, countsTotalKey, queueName, type BenchJobData } from './bullmq-reference.js';

const redisUrl = process.argv[2] ?? 'redis://127.0.0.1:6379';
const counters = new Redis(redisUrl);
const worker = new Worker<BenchJobData>(
  queueName,
  async (job) => {
    await counters.multi().hincrby(countsByTypeKey, job.data.event_type, 1).incr(countsTotalKey).exec();
  },
  { connection: { url: redisUrl }, concurrency: 50 },
);
await worker.waitUntilReady();
console.log('BullMQ worker ready');
