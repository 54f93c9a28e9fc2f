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
export { parseHostPorts, type Day15Config, type RedisSettings, type LogLevel, type LogFormat } from './day15-config.js';
