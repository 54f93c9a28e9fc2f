import { describe, expect, it } from '@jest/globals';
import { percentileFromBuckets } from '../index.js';

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
