// Compile-time checks of the types config-schema.ts derives with json-schema-to-ts (`npm run typecheck` runs
// them): a variable with a default is required in ConfigValues, one without is optional, enums are unions.
import { describe, expect, it } from '@jest/globals';
import { configSchema, type ConfigValues, type ConfigVariable, type LogFormat, type LogLevel } from '../index.js';

/** `true` exactly when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its type argument is `true`. */
const assertType = <T extends true>(): T | undefined => undefined;

type OptionalVariable = { [K in ConfigVariable]-?: undefined extends ConfigValues[K] ? K : never }[ConfigVariable];

assertType<Equal<ConfigVariable, keyof ConfigValues>>();
assertType<
  Equal<
    OptionalVariable,
    | 'DAY15_USE_MOCK_REDIS'
    | 'DAY15_REDIS_CLUSTER_NODES'
    | 'DAY15_REDIS_SENTINELS'
    | 'DAY15_REDIS_SENTINEL_NAME'
    | 'DAY15_REDIS_URL'
    | 'DAY15_WEBHOOK_SECRETS'
    | 'DAY15_OPS_TOKEN'
    | 'DAY15_FX_RATES'
    | 'DAY15_FX_RATES_DATE'
    | 'DAY15_ARCHIVE_ENABLED'
  >
>();
assertType<Equal<ConfigValues['DAY15_BATCH_SIZE'], number>>();
assertType<Equal<ConfigValues['DAY15_USE_MOCK_REDIS'], boolean | undefined>>();
assertType<Equal<ConfigValues['DAY15_REDIS_EMBEDDED'], 'true' | 'false' | 'auto'>>();
assertType<Equal<ConfigValues['DAY15_REDIS_HOST'], string>>();
assertType<Equal<ConfigValues['DAY15_OPS_TOKEN'], string | undefined>>();
assertType<Equal<LogLevel, 'error' | 'warn' | 'info' | 'debug'>>();
assertType<Equal<LogFormat, 'text' | 'json'>>();

// @ts-expect-error DAY15_BATCH_SIZE is a number
const wrongBatchSize: ConfigValues['DAY15_BATCH_SIZE'] = '10';
// @ts-expect-error not a log level
const wrongLevel: LogLevel = 'trace';

describe('the types derived from the config schema', () => {
  it('match the schema: the variables without a default are the ones it does not require', () => {
    const required = new Set<string>(configSchema.required);
    expect(Object.keys(configSchema.properties).filter((name) => !required.has(name))).toEqual([
      'DAY15_USE_MOCK_REDIS',
      'DAY15_REDIS_CLUSTER_NODES',
      'DAY15_REDIS_SENTINELS',
      'DAY15_REDIS_SENTINEL_NAME',
      'DAY15_REDIS_URL',
      'DAY15_WEBHOOK_SECRETS',
      'DAY15_OPS_TOKEN',
      'DAY15_FX_RATES',
      'DAY15_FX_RATES_DATE',
      'DAY15_ARCHIVE_ENABLED',
    ]);
    expect([wrongBatchSize, wrongLevel]).toEqual(['10', 'trace']);
  });
});
