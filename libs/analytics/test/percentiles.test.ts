import { describe, expect, it } from '@jest/globals';
import { percentileFromBuckets, percentileOfSorted } from '../index.js';

describe('percentileFromBuckets', () => {
  it('is null for an empty histogram', () => {
    expect(percentileFromBuckets({}, 0.5)).toBeNull();
  });

  it('interpolates inside the bucket that holds the rank', () => {
    // 100 samples: 50 in (0,5], 50 in (10,25]
    const counts = { 5: 50, 25: 50 };
    expect(percentileFromBuckets(counts, 0.5)).toBe(5);
    expect(percentileFromBuckets(counts, 0.75)).toBe(17.5);
    expect(percentileFromBuckets(counts, 0.99)).toBe(24.7);
  });

  it('reports the lower bound of the open last bucket', () => {
    expect(percentileFromBuckets({ inf: 3 }, 0.99)).toBe(60_000);
  });
});

describe('percentileOfSorted', () => {
  it('is 0 without samples', () => {
    expect(percentileOfSorted([], 0.99)).toBe(0);
  });

  it('takes the nearest-rank sample', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileOfSorted(samples, 0.5)).toBe(50);
    expect(percentileOfSorted(samples, 0.95)).toBe(95);
    expect(percentileOfSorted(samples, 0.99)).toBe(99);
    expect(percentileOfSorted([3, 7, 9], 0.5)).toBe(7);
    expect(percentileOfSorted([3, 7, 9], 0.99)).toBe(9);
  });

  it('stays inside the samples at the extremes', () => {
    expect(percentileOfSorted([4, 8], 0)).toBe(4);
    expect(percentileOfSorted([4, 8], 1)).toBe(8);
  });
});
