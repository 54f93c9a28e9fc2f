import { percentileOfSorted } from '../../libs/analytics/index.js';
import type { Logger } from '../../libs/logging/index.js';

const keptLatencies = 10_000;

/** What this consumer process did since it started, for the PROCESSING STATISTICS block. */
export class ProcessingStats {
  private batches = 0;
  private processed = 0;
  private failed = 0;
  private deadLettered = 0;
  private lostLeases = 0;
  private readonly latencies: number[] = [];
  private readonly startedAt: number;

  constructor(private readonly clock: () => number) {
    this.startedAt = clock();
  }

  recordBatch({
    processed,
    failed,
    deadLettered,
    lost,
    latencies,
  }: {
    processed: number;
    failed: number;
    deadLettered: number;
    lost: number;
    latencies: number[];
  }): void {
    this.batches += 1;
    this.processed += processed;
    this.failed += failed;
    this.deadLettered += deadLettered;
    this.lostLeases += lost;
    this.latencies.push(...latencies);
    if (this.latencies.length > keptLatencies) this.latencies.splice(0, this.latencies.length - keptLatencies);
  }

  /** Logged as separate lines under one heading, so `grep STATISTICS` and line-based log merging both work. */
  report(logger: Logger): void {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const average = sorted.length === 0 ? 0 : sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
    const p99 = percentileOfSorted(sorted, 0.99);
    const seconds = Math.max(0.001, (this.clock() - this.startedAt) / 1000);
    logger.info('PROCESSING STATISTICS');
    logger.info(`  batches: ${this.batches}`);
    logger.info(`  events processed: ${this.processed}`);
    logger.info(`  failed attempts: ${this.failed}`);
    logger.info(`  dead-lettered: ${this.deadLettered}`);
    logger.info(`  leases lost: ${this.lostLeases}`);
    logger.info(`  average latency: ${average.toFixed(2)}ms`);
    logger.info(`  p99 latency: ${p99.toFixed(2)}ms`);
    logger.info(`  throughput: ${(this.processed / seconds).toFixed(1)} events/s`);
  }
}
