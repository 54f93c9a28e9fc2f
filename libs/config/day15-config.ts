// The typed shape every app receives; built once by loadConfig (toConfig maps each DAY15_* variable to its field,
// type-checked against ConfigValues) and frozen. What each setting means, allows and defaults to is in configSchema.
import type { ConfigValues } from './config-schema.js';

/** The most detailed log level written (DAY15_LOG_LEVEL): `error`, `warn`, `info` or `debug`. */
export type LogLevel = ConfigValues['DAY15_LOG_LEVEL'];
/** The log line format (DAY15_LOG_FORMAT): `text` or `json`. */
export type LogFormat = ConfigValues['DAY15_LOG_FORMAT'];

/** Where and how to reach Redis (DAY15_USE_MOCK_REDIS, DAY15_REDIS_*, DAY15_KEY_PREFIX). */
export interface RedisSettings {
  readonly useMock: boolean;
  /** The orchestrator starts a private redis-server (append-only, fsync always) in data/redis/. */
  readonly embedded: boolean;
  /** When set, wins over host/port/password/db. */
  readonly url: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly db: number;
  /** Namespace of every Redis key this deployment writes. */
  readonly keyPrefix: string;
}

/** The validated configuration of a Day15 deployment; see configSchema for each variable's meaning and default. */
export interface Day15Config {
  readonly redis: RedisSettings;
  readonly webhook: {
    readonly host: string;
    readonly port: number;
    /** Standard Webhooks secrets (`whsec_...`); empty = signatures are not checked. */
    readonly secrets: readonly string[];
    readonly signatureToleranceMs: number;
    /** Bearer token of the /admin routes; unset = the admin routes do not exist (404). */
    readonly adminToken: string | undefined;
    readonly maxEventBytes: number;
    readonly maxBatchEvents: number;
    readonly maxBatchBytes: number;
    /** Ready backlog at which new events are refused with 503 backpressure. */
    readonly maxQueueDepth: number;
  };
  readonly processing: {
    /** Consumer processes the orchestrator starts in Redis mode. */
    readonly consumerCount: number;
    readonly batchSize: number;
    readonly batchTimeoutMs: number;
    /** Processing attempts in all before an event is dead-lettered (DAY15_MAX_RETRIES: 3 = first try + 2 retries). */
    readonly maxAttempts: number;
    readonly retryDelayMs: number;
    /** How long a claimed event stays leased without a renewal before another consumer may take it. */
    readonly leaseMs: number;
    readonly idempotencyTtlMs: number;
    readonly dryRun: boolean;
  };
  readonly dashboard: { readonly updateEnabled: boolean; readonly apiUrl: string };
  readonly log: { readonly level: LogLevel; readonly format: LogFormat; readonly file: string };
}
