export { effectsFor, monthlyCents, type EffectContext } from './effects-for.js';
export {
  readMetrics,
  metricsWindows,
  type MetricsDocument,
  type MetricsOptions,
  type MetricsSource,
  type MetricsWindow,
} from './read-metrics.js';
export { recordRestart } from './record-restart.js';
export { percentileFromBuckets, percentileOfSorted } from './percentiles.js';
export { bucketLabel, latencyBucketsMs } from './analytics-keys.js';
