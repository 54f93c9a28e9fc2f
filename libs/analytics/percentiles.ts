import { bucketLabel, latencyBucketsMs } from './analytics-keys.js';

/**
 * A percentile from histogram counts keyed by bucket label, interpolating linearly inside the bucket
 * (the open last bucket reports its lower bound). Null when the histogram is empty.
 */
export function percentileFromBuckets(counts: Readonly<Record<string, number>>, quantile: number): number | null {
  const total = latencyBucketsMs.reduce((sum, upper) => sum + (counts[bucketLabel(upper)] ?? 0), 0);
  if (total === 0) return null;
  const rank = quantile * total;
  let seen = 0;
  let lower = 0;
  for (const upper of latencyBucketsMs) {
    const count = counts[bucketLabel(upper)] ?? 0;
    if (count > 0 && seen + count >= rank) {
      if (upper === Infinity) return lower;
      return Math.round((lower + ((rank - seen) / count) * (upper - lower)) * 100) / 100;
    }
    seen += count;
    lower = upper === Infinity ? lower : upper;
  }
  return lower;
}

/**
 * A percentile of raw samples sorted ascending, by nearest rank (the smallest sample with at least that
 * share of the samples at or below it). 0 when there are no samples.
 */
export function percentileOfSorted(sorted: readonly number[], quantile: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))] ?? 0;
}
