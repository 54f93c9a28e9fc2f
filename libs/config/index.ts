export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { redactConfig } from './redact-config.js';
export { ConfigError } from './config-error.js';
export { isLoopbackHost, opsEndpoint, type OpsEndpoint } from './ops-endpoint.js';
export {
  configSchema,
  configVariables,
  keyNamePattern,
  type ConfigValues,
  type ConfigVariable,
} from './config-schema.js';
export { configDefault, configDescription, configTable } from './config-docs.js';
export type { Day15Config, RedisSettings, LogLevel, LogFormat } from './day15-config.js';
