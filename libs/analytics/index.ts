export { placementKey } from './placement-key.js';
export { effectsFor, monthlyCents, type EffectContext } from './effects-for.js';
export { readMetrics, type MetricsOptions, type MetricsSource } from './read-metrics.js';
export { convertedMovements, defaultMoney, type Money, type MovementDay } from './subscription-figures.js';
export {
  metricsDocumentSchema,
  movementKinds,
  metricsWindows,
  type MetricsDocument,
  type MetricsWindow,
} from './metrics-document-schema.js';
export { recordRestart } from './record-restart.js';
export { dataKeyKind, type DataKeyKind } from './data-key-kinds.js';
export { percentileFromBuckets, percentileOfSorted } from './percentiles.js';
export { bucketLabel, latencyBucketsMs } from './analytics-keys.js';
export { analyticsKeyOf, generationalKind, isGenerational } from './generation-keys.js';
