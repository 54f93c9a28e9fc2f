import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { RedisServer } from '../../../tools/redis-server.js';
import { waitUntil } from '../../../tools/wait.js';
import { startBenchProcess, type BenchProcess } from '../bench-processes.js';
import type { DrainResult } from '../day15-drain.js';
import { drainPollMs, settle } from '../harness.js';
import { benchEvent } from '../load.js';
import { countsTotalKey, jobOptions, queueName, type BenchJobData } from './bullmq-reference.js';

/**
 * The BullMQ reference's drain, timed like Day15's: `redis` (the reference's own server) is emptied and
 * prefilled with `events` of the benchmark's events as jobs, 1000 per addBulk, then its worker
 * (bullmq-worker.ts) runs from its ready line until BullMQ counts every job completed.
 */
export async function drainBullmq({
  redis,
  started,
  events,
  name,
}: {
  redis: RedisServer;
  started: BenchProcess[];
  events: number;
  /** Names the worker's log, logs/bench-<name>.log. */
  name: string;
}): Promise<DrainResult> {
  const client = new Redis(redis.url);
  const queue = new Queue<BenchJobData>(queueName, { connection: { url: redis.url } });
  try {
    await client.flushall();
    const receivedAt = new Date().toISOString();
    for (let offset = 0; offset < events; offset += 1000) {
      await queue.addBulk(
        Array.from({ length: Math.min(1000, events - offset) }, () => {
          const event = { ...benchEvent(), received_at: receivedAt };
          return { name: event.event_type, data: event, opts: { ...jobOptions, jobId: event.event_id } };
        }),
      );
    }
    await settle();
    const worker = await startBenchProcess(
      name,
      'scripts/bench/peers/bullmq-worker.ts',
      [redis.url],
      {},
      /BullMQ worker ready/,
    );
    started.push(worker);
    try {
      const begun = performance.now();
      await waitUntil(async () => (await queue.getCompletedCount()) >= events, 600_000, 'every BullMQ job completed', {
        intervalMs: drainPollMs,
      });
      const ms = performance.now() - begun;
      // Completed means the worker's counters ran too; a shortfall would be a reference that loses events.
      const counted = Number(await client.get(countsTotalKey));
      if (counted !== events) throw new Error(`The BullMQ worker counted ${counted} of ${events} events`);
      return { events, ms, events_per_second: events / (ms / 1000), peak_rss_mb: worker.peakRssMb() };
    } finally {
      await worker.stop();
    }
  } finally {
    await queue.close();
    client.disconnect();
  }
}
