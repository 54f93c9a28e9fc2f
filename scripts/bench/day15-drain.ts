import { rm } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { RedisServer } from '../../tools/redis-server.js';
import { waitForDrained } from '../../tools/wait.js';
import { startBenchProcess, type BenchProcess } from './bench-processes.js';
import { appEnv, benchArchiveDir, benchQueue, drainPollMs, fmt, machineTicks, prefill, settle } from './harness.js';
import type { Row } from './report.js';

/** One timed drain of a prefilled queue (Day15's consumers here, or the BullMQ reference's worker). */
export interface DrainResult {
  events: number;
  ms: number;
  events_per_second: number;
  peak_rss_mb: number;
  /** CPU over the drain, in cores (CPU seconds / drain seconds): Redis (INFO cpu) and the consumers together. */
  redis_cores?: number;
  consumer_cores?: number;
  /** Busy share of all the machine's cores over the drain (every process, the benchmark's own included). */
  box_busy?: number;
}

/** Redis's own CPU seconds so far (user + system, all its threads), from INFO cpu. */
export async function redisCpuSeconds(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/**
 * Prefills the queue on `prefix` with `events` realistic events, then times `consumers` consumer processes
 * draining it with their full analytics, from their start-up line until every event is acked.
 */
export async function drainDay15({
  redis,
  client,
  started,
  prefix,
  events,
  batchSize,
  consumers = 1,
}: {
  redis: RedisServer;
  client: Redis;
  started: BenchProcess[];
  prefix: string;
  events: number;
  batchSize: number;
  consumers?: number;
}): Promise<DrainResult> {
  const queue = benchQueue(client, prefix);
  await prefill(queue, events);
  await settle();
  const env = appEnv(redis, prefix, { DAY15_BATCH_SIZE: String(batchSize) });
  const processes = await Promise.all(
    Array.from({ length: consumers }, (_, i) =>
      startBenchProcess(`consumer-${prefix}-${i + 1}`, 'apps/consumer/main.ts', [], env, /Consumer started/),
    ),
  );
  started.push(...processes);
  try {
    const boxBefore = machineTicks();
    const redisBefore = await redisCpuSeconds(client);
    const consumersBefore = processes.reduce((sum, p) => sum + p.cpuSeconds(), 0);
    const ms = await waitForDrained(queue, { acked: events, timeoutMs: 600_000, intervalMs: drainPollMs });
    const boxAfter = machineTicks();
    const cores = (cpuSeconds: number) => cpuSeconds / (ms / 1000);
    return {
      events,
      ms,
      events_per_second: events / (ms / 1000),
      peak_rss_mb: Math.max(...processes.map((p) => p.peakRssMb())),
      redis_cores: cores((await redisCpuSeconds(client)) - redisBefore),
      consumer_cores: cores(processes.reduce((sum, p) => sum + p.cpuSeconds(), 0) - consumersBefore),
      box_busy: (boxAfter.busy - boxBefore.busy) / Math.max(1, boxAfter.total - boxBefore.total),
    };
  } finally {
    for (const process_ of processes) await process_.stop();
    await rm(benchArchiveDir(prefix), { recursive: true, force: true });
  }
}

export function drainRow(what: string, result: DrainResult): Row {
  return {
    what,
    figure: `${fmt(result.events_per_second)} events/s`,
    detail:
      `${fmt(result.events)} events in ${fmt(result.ms / 1000, 1)} s, full analytics, ` +
      `peak RSS ${fmt(result.peak_rss_mb, 1)} MB` +
      (result.redis_cores === undefined
        ? ''
        : `; busy: Redis ${fmt(result.redis_cores, 2)} cores, consumers ${fmt(result.consumer_cores ?? 0, 2)} cores, ` +
          `the machine ${fmt(100 * (result.box_busy ?? 0))} %`),
  };
}
