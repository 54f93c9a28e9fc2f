import type { ComparedDrain } from './compared-drain.js';
import type { ComparedIngest } from './compared-ingest.js';
import type { DrainResult } from './day15-drain.js';
import type { RedisBytes } from './redis-bytes.js';
import { fmt } from './harness.js';
import type { Target } from './report.js';

// The targets of issue 17 (and the archive's of issue 16) next to what this run measured.

export interface TargetInputs {
  ingest: ComparedIngest;
  drain: ComparedDrain;
  twoConsumers: DrainResult;
  /** The machine's cores, which the consumers share with Redis and the benchmark. */
  cores: number;
  bytes: RedisBytes;
  drainBatchSize: number;
  endToEnd: { rate: number; p99Ms: number | null };
  archive: { onOverOff: number; pairs: number };
}

export function targetsOf({
  ingest,
  drain,
  twoConsumers,
  cores,
  bytes,
  drainBatchSize,
  endToEnd,
  archive,
}: TargetInputs): Target[] {
  const yes = (ok: boolean) => (ok ? 'yes' : 'no');
  const single = ingest.figures.single_16 ?? {};
  const day15 = single.day15?.events_per_second.median ?? 0;
  const bare = single.bare?.events_per_second.median ?? 0;
  const bullmq = single.bullmq?.events_per_second.median ?? 0;
  const p99 = single.day15?.p99_ms;
  const batch = ingest.figures.batch_100?.day15?.events_per_second.median ?? 0;
  const e2e = endToEnd.p99Ms ?? Infinity;
  const ratio = (a: number, b: number) => a / Math.max(1, b);
  return [
    {
      target: 'single event, 16 conn >= 0.7 x bare',
      measured: `${fmt(ratio(day15, bare), 2)} x (${fmt(day15)} / ${fmt(bare)} events/s, medians)`,
      relative: 'same (already a ratio)',
      met: yes(ratio(day15, bare) >= 0.7),
    },
    {
      target: 'single event, 16 conn, p99 <= 5 ms',
      measured: `${fmt(p99?.median ?? 0, 1)} ms, median (bare: ${fmt(single.bare?.p99_ms.median ?? 0, 1)} ms)`,
      relative: 'n/a',
      met: yes((p99?.median ?? Infinity) <= 5),
    },
    {
      target: 'batch of 100, 8 conn >= 100,000 events/s',
      measured: `${fmt(batch)} events/s, median`,
      relative: `>= 5 x this run's bare ceiling (${fmt(5 * ingest.bareCeiling)} events/s): ${yes(batch >= 5 * ingest.bareCeiling)}`,
      met: yes(batch >= 100_000),
    },
    {
      target: `consumer drain, batch ${drainBatchSize}, full analytics >= 30,000 events/s`,
      measured: `${fmt(drain.day15.median)} events/s, median`,
      relative: 'n/a',
      met: yes(drain.day15.median >= 30_000),
    },
    {
      target: 'two consumers: reported, with the reason for the scaling seen',
      measured: `${fmt(twoConsumers.events_per_second)} events/s, ${fmt(ratio(twoConsumers.events_per_second, drain.day15.median), 2)} x one consumer (median); ${scalingReason(twoConsumers, cores)}`,
      relative: 'n/a',
      met: 'reported',
    },
    {
      target: 'single-event ingest >= 3 x BullMQ (16 conn)',
      measured: `${fmt(ratio(day15, bullmq), 2)} x (${fmt(day15)} / ${fmt(bullmq)} events/s, medians)`,
      relative: 'same (already a ratio)',
      met: yes(ratio(day15, bullmq) >= 3),
    },
    {
      target: 'consumer drain >= 2.5 x BullMQ (full analytics against two counters)',
      measured: `${fmt(drain.day15OverBullmq, 2)} x (${fmt(drain.day15.median)} / ${fmt(drain.bullmq.median)} events/s, medians)`,
      relative: 'same (already a ratio)',
      met: yes(drain.day15OverBullmq >= 2.5),
    },
    {
      target: `end-to-end p99 <= 50 ms at ${fmt(endToEnd.rate)} events/s offered`,
      measured: `${fmt(e2e, 1)} ms`,
      relative: 'n/a',
      met: yes(e2e <= 50),
    },
    {
      target: 'receiver peak RSS <= 120 MB under single-event load',
      measured: `${fmt(ingest.peakRssMb.day15Single, 1)} MB`,
      relative: 'n/a',
      met: yes(ingest.peakRssMb.day15Single <= 120),
    },
    {
      target: 'receiver peak RSS <= 150 MB after batch load',
      measured: `${fmt(ingest.peakRssMb.day15Batch, 1)} MB`,
      relative: 'n/a',
      met: yes(ingest.peakRssMb.day15Batch <= 150),
    },
    {
      target: 'Redis bytes per event <= 500 queued, <= 150 retained after processing',
      measured: `${fmt(bytes.queued)} queued, ${fmt(bytes.retained)} retained (${fmt(bytes.events)} events)`,
      relative: 'n/a',
      met: yes(bytes.queued <= 500 && bytes.retained <= 150),
    },
    {
      target: `consumer drain with the archive on at most 20 % slower than off, batch ${drainBatchSize}`,
      measured: `${fmt(archive.onOverOff, 2)} x archive off (medians of ${archive.pairs} interleaved pairs)`,
      relative: 'same (already a ratio)',
      met: yes(archive.onOverOff >= 0.8),
    },
  ];
}

/** Why two consumers scale as they did, from where the CPU went during their drain. */
function scalingReason(run: DrainResult, cores: number): string {
  const redis = run.redis_cores ?? 0;
  const consumers = run.consumer_cores ?? 0;
  const box = run.box_busy ?? 0;
  const busy =
    `Redis ${fmt(redis, 2)} cores, the consumers ${fmt(consumers, 2)}, everything else ` +
    `${fmt(Math.max(0, box * cores - redis - consumers), 2)}; the machine's ${cores} cores ${fmt(100 * box)} % busy`;
  if (redis >= 0.9) return `Redis's single thread is the limit (${busy})`;
  if (box >= 0.85)
    return `the machine's cores are the limit, shared by the consumers, Redis and the benchmark (${busy})`;
  return `neither Redis nor the cores are saturated (${busy}): the consumers wait on round trips`;
}
