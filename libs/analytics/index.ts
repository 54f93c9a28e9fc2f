export { effectsFor, monthlyCents, type EffectContext } from './effects-for.js';
export { readMetrics, type MetricsDocument, type MetricsOptions } from './read-metrics.js';
export { percentileFromBuckets } from './percentiles.js';
export { analyticsKeys, latencyBucketsMs } from './analytics-keys.js';
