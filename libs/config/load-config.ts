import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseDotenv } from 'dotenv';
import { ConfigError } from './config-error.js';
import { configSchema, describeAllowed, type ConfigVariable } from './config-schema.js';
import type { Day15Config, LogFormat, LogLevel } from './day15-config.js';

export interface LoadConfigOptions {
  /** Variables from the real environment; they win over the file. */
  env?: Readonly<Record<string, string | undefined>>;
  /** dotenv file; a missing file is fine (defaults and the environment apply). */
  envFile?: string;
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: true });
const validate = ajv.compile(configSchema);
const knownVariables = Object.keys(configSchema.properties) as ConfigVariable[];

// Reads config/.env and the environment once, validates every DAY15_* variable, returns a frozen config.
export function loadConfig(options: LoadConfigOptions = {}): Day15Config {
  const envFile = options.envFile ?? resolve(process.cwd(), 'config/.env');
  const raw = { ...readEnvFile(envFile), ...pickDay15(options.env ?? process.env) };
  const problems = Object.keys(raw)
    .filter((name) => !knownVariables.includes(name as ConfigVariable))
    .map((name) => `${name} is not a known variable (known: ${knownVariables.join(', ')})`);
  const values: Record<string, unknown> = { ...raw };
  if (!validate(values)) {
    for (const error of validate.errors ?? []) {
      const name = error.instancePath.slice(1) as ConfigVariable;
      if (!knownVariables.includes(name)) continue;
      problems.push(`${name}="${raw[name]}" is not allowed: expected ${describeAllowed(name)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(toConfig(values as Record<ConfigVariable, unknown>));
}

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return pickDay15(parseDotenv(readFileSync(path)));
}

// Empty values count as unset, so `DAY15_REDIS_URL=` in a file means "use the default".
function pickDay15(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('DAY15_') && value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

function toConfig(v: Record<ConfigVariable, unknown>): Day15Config {
  const seconds = (name: ConfigVariable): number => Math.round((v[name] as number) * 1000);
  return {
    redis: {
      useMock: v.DAY15_USE_MOCK_REDIS as boolean,
      embedded: v.DAY15_REDIS_EMBEDDED as boolean,
      url: v.DAY15_REDIS_URL as string | undefined,
      host: v.DAY15_REDIS_HOST as string,
      port: v.DAY15_REDIS_PORT as number,
      password: v.DAY15_REDIS_PASSWORD as string,
      db: v.DAY15_REDIS_DB as number,
      keyPrefix: v.DAY15_KEY_PREFIX as string,
    },
    webhook: {
      host: v.DAY15_WEBHOOK_HOST as string,
      port: v.DAY15_WEBHOOK_PORT as number,
      secrets: v.DAY15_WEBHOOK_SECRETS === undefined ? [] : (v.DAY15_WEBHOOK_SECRETS as string).split(','),
      signatureToleranceMs: seconds('DAY15_SIGNATURE_TOLERANCE_SECONDS'),
      adminToken: v.DAY15_ADMIN_TOKEN as string | undefined,
      maxEventBytes: v.DAY15_MAX_EVENT_BYTES as number,
      maxBatchEvents: v.DAY15_MAX_BATCH_EVENTS as number,
      maxBatchBytes: v.DAY15_MAX_BATCH_BYTES as number,
      maxQueueDepth: v.DAY15_MAX_QUEUE_DEPTH as number,
    },
    processing: {
      consumerCount: v.DAY15_CONSUMER_COUNT as number,
      batchSize: v.DAY15_BATCH_SIZE as number,
      batchTimeoutMs: seconds('DAY15_BATCH_TIMEOUT_SECONDS'),
      maxRetries: v.DAY15_MAX_RETRIES as number,
      retryDelayMs: seconds('DAY15_RETRY_DELAY_SECONDS'),
      leaseMs: seconds('DAY15_LEASE_SECONDS'),
      idempotencyTtlMs: Math.round((v.DAY15_IDEMPOTENCY_TTL_HOURS as number) * 3_600_000),
      dryRun: v.DAY15_DRY_RUN as boolean,
    },
    dashboard: {
      updateEnabled: v.DAY15_DASHBOARD_UPDATE_ENABLED as boolean,
      apiUrl: v.DAY15_DASHBOARD_API_URL as string,
    },
    log: {
      level: v.DAY15_LOG_LEVEL as LogLevel,
      format: v.DAY15_LOG_FORMAT as LogFormat,
      file: v.DAY15_LOG_FILE as string,
    },
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
