// The fault-injection suite (`npm run test:chaos`): real processes, a private redis-server, faults
// injected on purpose. Same setup as jest.config.js, its own files (*.chaos.ts), one file at a time.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ['**/test/chaos/**/*.chaos.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
