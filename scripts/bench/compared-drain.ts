import { Redis } from 'ioredis';
import type { RedisServer } from '../../tools/redis-server.js';
import type { BenchProcess } from './bench-processes.js';
import { drainDay15, type DrainResult } from './day15-drain.js';
import { fmt, say } from './harness.js';
import { drainBullmq } from './peers/bullmq-drain.js';
import type { BenchReport, Row } from './report.js';
import { spreadOf, type Spread } from './spread.js';

// Issue 17: the consumer drain of Day15 (full analytics) against the BullMQ reference's worker (two
// counters), each the median of `runs` runs taken in turns (Day15, BullMQ, Day15, BullMQ, ...), each on its
// own private redis-server, emptied and prefilled with the same kind of events before every run.

export interface DrainPlan {
  events: number;
  batchSize: number;
  runs: number;
}

export interface ComparedDrain {
  day15: Spread;
  bullmq: Spread;
  /** The median of Day15 over the median of BullMQ. */
  day15OverBullmq: number;
}

/** Adds the drain comparison rows to the report (raw figures in report.raw.compared_drain). */
export async function measureComparedDrain({
  plan,
  redis,
  report,
  started,
}: {
  plan: DrainPlan;
  redis: { day15: RedisServer; bullmq: RedisServer };
  report: BenchReport;
  started: BenchProcess[];
}): Promise<ComparedDrain> {
  const client = new Redis(redis.day15.url);
  const runs: { day15: DrainResult[]; bullmq: DrainResult[] } = { day15: [], bullmq: [] };
  try {
    for (let round = 1; round <= plan.runs; round += 1) {
      const of = `run ${round} of ${plan.runs}`;
      say(`consumer drain, batch size ${plan.batchSize}, Day15 (${of})`);
      await client.flushall();
      runs.day15.push(
        await drainDay15({
          redis: redis.day15,
          client,
          started,
          prefix: `drain${plan.batchSize}-run${round}`,
          events: plan.events,
          batchSize: plan.batchSize,
        }),
      );
      say(`consumer drain, Express 5 + BullMQ worker (${of})`);
      runs.bullmq.push(
        await drainBullmq({ redis: redis.bullmq, started, events: plan.events, name: `bullmq-worker-${round}` }),
      );
    }
  } finally {
    client.disconnect();
  }
  const day15 = spreadOf(runs.day15.map((r) => r.events_per_second));
  const bullmq = spreadOf(runs.bullmq.map((r) => r.events_per_second));
  const compared = { day15, bullmq, day15OverBullmq: day15.median / Math.max(1, bullmq.median) };
  report.raw.compared_drain = { ...plan, runs, ...compared };
  report.rows.push(...rowsOf(plan, runs, compared));
  return compared;
}

function rowsOf(
  plan: DrainPlan,
  runs: { day15: DrainResult[]; bullmq: DrainResult[] },
  compared: ComparedDrain,
): Row[] {
  const detail = (spread: Spread, results: DrainResult[]) =>
    (plan.runs > 1 ? `median of ${plan.runs} (min ${fmt(spread.min)}, max ${fmt(spread.max)})` : '1 run') +
    `, ${fmt(plan.events)} events each, peak RSS ${fmt(Math.max(...results.map((r) => r.peak_rss_mb)), 1)} MB`;
  return [
    {
      what: `consumer drain, batch size ${plan.batchSize}, Day15 consumer`,
      figure: `${fmt(compared.day15.median)} events/s`,
      detail: `${detail(compared.day15, runs.day15)}, full analytics, ${fmt(compared.day15OverBullmq, 2)} x BullMQ`,
    },
    {
      what: 'consumer drain, Express 5 + BullMQ worker',
      figure: `${fmt(compared.bullmq.median)} events/s`,
      detail: `${detail(compared.bullmq, runs.bullmq)}, concurrency 50, two counters per event`,
    },
  ];
}
