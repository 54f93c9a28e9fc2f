import type { ConfigValues } from './config-schema.js';

// The typed shape every app receives, derived from the one mapping below (each DAY15_* variable to its
// field, type-checked against ConfigValues, which the schema gives). What each setting means, allows and
// defaults to is in configSchema; adding a setting is a schema entry plus its line here.

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated configuration of a Day15 deployment; see configSchema for each variable's meaning and default. */
export type Day15Config = DeepReadonly<ReturnType<typeof toConfig>>;
/** Where and how to reach Redis (DAY15_USE_MOCK_REDIS, DAY15_REDIS_*, DAY15_KEY_PREFIX). */
export type RedisSettings = Day15Config['redis'];
/** The most detailed log level written (DAY15_LOG_LEVEL): `error`, `warn`, `info` or `debug`. */
export type LogLevel = ConfigValues['DAY15_LOG_LEVEL'];
/** The log line format (DAY15_LOG_FORMAT): `text` or `json`. */
export type LogFormat = ConfigValues['DAY15_LOG_FORMAT'];

/** The validated DAY15_* values arranged as the apps read them, with durations in milliseconds. */
export function toConfig(v: ConfigValues) {
  const ms = (seconds: number): number => Math.round(seconds * 1000);
  const useMock = usesMock(v);
  return {
    redis: {
      useMock,
      /** Whether DAY15_USE_MOCK_REDIS was set: only an unset one leaves npm run orchestrate free to choose. */
      useMockExplicit: v.DAY15_USE_MOCK_REDIS !== undefined,
      mode: v.DAY15_REDIS_MODE,
      /** Seeds of a Redis Cluster (mode cluster); empty otherwise. */
      clusterNodes: parseHostPorts(v.DAY15_REDIS_CLUSTER_NODES),
      /** The Sentinels (mode sentinel); empty otherwise. */
      sentinels: parseHostPorts(v.DAY15_REDIS_SENTINELS),
      sentinelName: v.DAY15_REDIS_SENTINEL_NAME,
      /** Replicas an enqueue must reach (Redis WAIT) before the receiver answers 202; 0 = none. */
      waitReplicas: v.DAY15_REDIS_WAIT_REPLICAS,
      waitTimeoutMs: v.DAY15_REDIS_WAIT_TIMEOUT_MS,
      /**
       * Whether the orchestrator starts a private redis-server (append-only, fsync always) in data/redis/;
       * `auto` is for the orchestrator to resolve (scripts/orchestrator/redis-choice.ts).
       */
      embedded: v.DAY15_REDIS_EMBEDDED === 'auto' ? 'auto' : v.DAY15_REDIS_EMBEDDED === 'true',
      /** When set, wins over host/port/password/db. */
      url: v.DAY15_REDIS_URL,
      host: v.DAY15_REDIS_HOST,
      port: v.DAY15_REDIS_PORT,
      password: v.DAY15_REDIS_PASSWORD,
      db: v.DAY15_REDIS_DB,
      /** Namespace of every Redis key this deployment writes. */
      keyPrefix: v.DAY15_KEY_PREFIX,
      /** Partitions of the queue (each its own hash tag); 1 = the single-partition layout. */
      partitions: v.DAY15_PARTITIONS,
    },
    webhook: {
      host: v.DAY15_WEBHOOK_HOST,
      port: v.DAY15_WEBHOOK_PORT,
      /** Standard Webhooks secrets (`whsec_...`); empty = signatures are not checked. */
      secrets: v.DAY15_WEBHOOK_SECRETS?.split(',') ?? [],
      signatureToleranceMs: ms(v.DAY15_SIGNATURE_TOLERANCE_SECONDS),
      maxEventBytes: v.DAY15_MAX_EVENT_BYTES,
      maxBatchEvents: v.DAY15_MAX_BATCH_EVENTS,
      maxBatchBytes: v.DAY15_MAX_BATCH_BYTES,
      /** Ready backlog at which new events are refused with 503 backpressure. */
      maxQueueDepth: v.DAY15_MAX_QUEUE_DEPTH,
    },
    ops: {
      host: v.DAY15_OPS_HOST,
      port: v.DAY15_OPS_PORT,
      /** The credential every ops request must carry (Bearer, or Basic password); unset = none (loopback only). */
      token: v.DAY15_OPS_TOKEN,
    },
    processing: {
      /** Consumer processes the orchestrator starts in Redis mode. */
      consumerCount: v.DAY15_CONSUMER_COUNT,
      /** Port of a consumer's probe listener (/livez, /readyz); 0 = none. */
      healthPort: v.DAY15_CONSUMER_HEALTH_PORT,
      batchSize: v.DAY15_BATCH_SIZE,
      batchTimeoutMs: ms(v.DAY15_BATCH_TIMEOUT_SECONDS),
      /** Processing attempts in all before an event is dead-lettered (DAY15_MAX_RETRIES: 3 = first try + 2 retries). */
      maxAttempts: v.DAY15_MAX_RETRIES,
      retryDelayMs: ms(v.DAY15_RETRY_DELAY_SECONDS),
      /** How long a claimed event stays leased without a renewal before another consumer may take it. */
      leaseMs: ms(v.DAY15_LEASE_SECONDS),
      idempotencyTtlMs: Math.round(v.DAY15_IDEMPOTENCY_TTL_HOURS * 3_600_000),
      dryRun: v.DAY15_DRY_RUN,
    },
    analytics: {
      /** DAY15_BASE_CURRENCY: what MRR and movements are reported in. */
      baseCurrency: v.DAY15_BASE_CURRENCY,
      /** Base units per one unit of each other currency (DAY15_FX_RATES); none by default. */
      fxRates: parseRates(v.DAY15_FX_RATES),
      /** The day the rates are valid for (DAY15_FX_RATES_DATE); null when not given. */
      fxRatesDate: v.DAY15_FX_RATES_DATE ?? null,
    },
    archive: {
      /** DAY15_ARCHIVE_ENABLED; when unset, on with Redis and off in the in-memory mode (nothing outlives it there). */
      enabled: v.DAY15_ARCHIVE_ENABLED ?? !useMock,
      dir: v.DAY15_ARCHIVE_DIR,
      retentionDays: v.DAY15_ARCHIVE_DAYS,
    },
    dashboard: {
      updateEnabled: v.DAY15_DASHBOARD_UPDATE_ENABLED,
      apiUrl: v.DAY15_DASHBOARD_API_URL,
    },
    log: {
      level: v.DAY15_LOG_LEVEL,
      format: v.DAY15_LOG_FORMAT,
      file: v.DAY15_LOG_FILE,
    },
  };
}

/** The in-memory mode: DAY15_USE_MOCK_REDIS, true when unset (npm run orchestrate may still choose Redis). */
export function usesMock(v: ConfigValues): boolean {
  return v.DAY15_USE_MOCK_REDIS ?? true;
}

/** `EUR=1.08,GBP=1.27` (as the schema validates it) as { EUR: 1.08, GBP: 1.27 }; {} when unset. */
export function parseRates(list: string | undefined): Record<string, number> {
  if (list === undefined) return {};
  return Object.fromEntries(
    list.split(',').map((entry) => {
      const [code = '', rate = ''] = entry.split('=');
      return [code, Number(rate)];
    }),
  );
}

/** `host:port,host:port` (as the schema validates it) as addresses, `[v6]` without its brackets; none when unset. */
export function parseHostPorts(list: string | undefined): { host: string; port: number }[] {
  if (list === undefined) return [];
  return list.split(',').map((entry) => {
    const colon = entry.lastIndexOf(':');
    return { host: entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(entry.slice(colon + 1)) };
  });
}
