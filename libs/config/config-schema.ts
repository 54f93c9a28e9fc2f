// The DAY15_* variables as one JSON Schema: each entry's type, limits, default and doc text live here and nowhere
// else. loadConfig validates with it, ConfigValues (the variables after validation) is derived from it, and the
// README configuration table is generated from it (config-docs.ts; test/config-docs.test.ts keeps README and
// config/.env.example in step). Values arrive as strings; ajv coerces them ("10" -> 10, "true" -> true) and
// rejects what does not fit. A plain `as const` JSON Schema typed by json-schema-to-ts's FromSchema (type-only,
// no run-time cost), as in libs/events/event-schemas.ts; keywords are in the order the schema has always been
// serialised in (`type` after the limits, default and description).
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { currencyCodes } from '../events/index.js';

/**
 * The rule for a Redis key namespace part (DAY15_KEY_PREFIX, queue names): 1-64 of `A-Z a-z 0-9 _ . -`.
 * The one definition: the config schema uses its `.source`, libs/queue's queueKeys should test with it.
 */
export const keyNamePattern = /^[A-Za-z0-9_.-]{1,64}$/;

// A comma-separated list of host:port (host: a name, IPv4, or IPv6 in brackets; port: 1 to 65535).
const hostPort =
  '(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):' +
  '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
const hostPortList = `^${hostPort}(?:,${hostPort})*$`;

/** The names of the properties that have a default. */
type Defaulted<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P] & string;

// The schema of the variables `properties`: a variable is required exactly when it has a default (which ajv fills
// in when it is unset), so optional exactly when it has none. Generic with a `const` type parameter so FromSchema
// sees every entry's literal type.
function variables<const P extends Record<string, Exclude<JSONSchema, boolean>>>(properties: P) {
  const required = Object.entries(properties)
    .filter(([, schema]) => 'default' in schema)
    .map(([name]) => name);
  return {
    additionalProperties: false,
    type: 'object',
    required: required as Defaulted<P>[],
    properties,
  } as const;
}

/** The DAY15_* variables: every property is one variable, with `description` (markdown) and, if it has one, `default`. */
export const configSchema = variables({
  DAY15_USE_MOCK_REDIS: {
    description:
      '`true`: in-process ioredis-mock instead of Redis (nothing to install; not shared between processes); ' +
      '`false`: a real Redis. Unset = `true`, except that `npm run orchestrate` may start its own Redis instead ' +
      '(`DAY15_REDIS_EMBEDDED=auto`)',
    type: 'boolean',
  },
  DAY15_REDIS_MODE: {
    default: 'single',
    description:
      '`single`: one Redis (host/port or URL); `cluster`: Redis Cluster through the seeds in ' +
      '`DAY15_REDIS_CLUSTER_NODES`; `sentinel`: the primary that the Sentinels in `DAY15_REDIS_SENTINELS` name ' +
      '`DAY15_REDIS_SENTINEL_NAME`, followed across failovers. The in-memory mode is always `single`',
    type: 'string',
    enum: ['single', 'cluster', 'sentinel'],
  },
  DAY15_REDIS_CLUSTER_NODES: {
    title: 'a comma-separated list of host:port',
    pattern: hostPortList,
    description: 'with `DAY15_REDIS_MODE=cluster`: comma-separated `host:port` seeds (any nodes of the cluster)',
    type: 'string',
  },
  DAY15_REDIS_SENTINELS: {
    title: 'a comma-separated list of host:port',
    pattern: hostPortList,
    description: 'with `DAY15_REDIS_MODE=sentinel`: comma-separated `host:port` of the Sentinels',
    type: 'string',
  },
  DAY15_REDIS_SENTINEL_NAME: {
    pattern: '^[A-Za-z0-9_.-]{1,64}$',
    description: 'with `DAY15_REDIS_MODE=sentinel`: the name the Sentinels monitor the primary under',
    type: 'string',
  },
  DAY15_REDIS_URL: {
    pattern: '^rediss?://[^\\s]+$',
    description: 'full `redis://` or `rediss://` URL; wins over host/port/password/db',
    type: 'string',
  },
  DAY15_REDIS_HOST: { minLength: 1, maxLength: 255, default: 'localhost', description: 'Redis host', type: 'string' },
  DAY15_REDIS_PORT: { minimum: 1, maximum: 65535, default: 6379, description: 'Redis port', type: 'integer' },
  DAY15_REDIS_PASSWORD: { default: '', description: 'Redis password (never logged)', type: 'string' },
  DAY15_REDIS_DB: { minimum: 0, maximum: 15, default: 0, description: 'Redis database number', type: 'integer' },
  DAY15_REDIS_WAIT_REPLICAS: {
    minimum: 0,
    maximum: 5,
    default: 0,
    description:
      'answer `202` only once Redis `WAIT` confirms the enqueue reached this many replicas; when they do not confirm ' +
      'within `DAY15_REDIS_WAIT_TIMEOUT_MS` the answer is `503` with `Retry-After` (the sender retries, dedupe ' +
      'absorbs the repeat). `0` = answer once the primary has it',
    type: 'integer',
  },
  DAY15_REDIS_WAIT_TIMEOUT_MS: {
    minimum: 1,
    maximum: 700,
    default: 250,
    description: 'how long `DAY15_REDIS_WAIT_REPLICAS` waits for the replicas (below the 750 ms command timeout)',
    type: 'integer',
  },
  DAY15_REDIS_EMBEDDED: {
    default: 'auto',
    description:
      'whether `npm run orchestrate` starts its own `redis-server` on `127.0.0.1:DAY15_REDIS_PORT` (append-only ' +
      'with `appendfsync always`, data in `data/redis/port-<port>/`) and runs on it. `true`: with ' +
      '`DAY15_USE_MOCK_REDIS=false`. `auto`: when `DAY15_USE_MOCK_REDIS` and `DAY15_REDIS_URL` are unset, ' +
      '`redis-server` is on PATH and `127.0.0.1:DAY15_REDIS_PORT` is free; otherwise `DAY15_USE_MOCK_REDIS` ' +
      'decides (unset: the in-memory mode). `false`: never. Its banner says which mode it chose and why; ' +
      'processes started alone follow `DAY15_USE_MOCK_REDIS` only',
    type: 'string',
    enum: ['true', 'false', 'auto'],
  },
  DAY15_PARTITIONS: {
    minimum: 1,
    maximum: 64,
    default: 1,
    description:
      'splits the queue into this many partitions, each under its own hash tag (`{events-6p0}` ... `{events-6p5}` for 6), so a Redis ' +
      'Cluster spreads them over its shards; an event goes to the partition of its `user_id` (of its `event_id` ' +
      'when it has none). `1` keeps the single-partition keys `{events}`. Every process of a deployment must use ' +
      'the same value, and the processes refuse to start on data written with another: see "Changing the number ' +
      'of partitions" in docs/scaling.md',
    type: 'integer',
  },
  DAY15_KEY_PREFIX: {
    pattern: keyNamePattern.source,
    default: 'day15',
    description: 'namespace of every Redis key; keys look like `day15:{events}:ready`',
    type: 'string',
  },
  DAY15_WEBHOOK_HOST: {
    minLength: 1,
    maxLength: 255,
    default: '0.0.0.0',
    description:
      'bind address of the ingest listener (webhooks, `/health`, probes); the only one that should face the internet',
    type: 'string',
  },
  DAY15_WEBHOOK_PORT: {
    minimum: 0,
    maximum: 65535,
    default: 5015,
    description: 'ingest listener port (`0` = any free port)',
    type: 'integer',
  },
  DAY15_WEBHOOK_SECRETS: {
    pattern: '^whsec_[A-Za-z0-9+/]+={0,2}(,whsec_[A-Za-z0-9+/]+={0,2})*$',
    description:
      'comma-separated Standard Webhooks secrets `whsec_<base64>` (several while rotating); unset = no signature check',
    type: 'string',
  },
  DAY15_OPS_HOST: {
    minLength: 1,
    maxLength: 255,
    default: '127.0.0.1',
    description:
      'bind address of the ops listener (`/dashboard`, `/api/metrics`, `/metrics`, `/admin/*`, `/openapi.json`); ' +
      'an address other than loopback requires `DAY15_OPS_TOKEN`',
    type: 'string',
  },
  DAY15_OPS_PORT: {
    minimum: 0,
    maximum: 65535,
    default: 5016,
    description: 'ops listener port (`0` = any free port)',
    type: 'integer',
  },
  DAY15_OPS_TOKEN: {
    minLength: 16,
    maxLength: 512,
    description:
      'the ops credential: every ops request then needs `Authorization: Bearer <token>` or HTTP Basic with any ' +
      'user name and this as password (a browser asks for it); unset = no credentials, allowed on loopback only',
    type: 'string',
  },
  DAY15_SIGNATURE_TOLERANCE_SECONDS: {
    minimum: 1,
    maximum: 86400,
    default: 300,
    description: 'how far a signature timestamp may be in the past or future',
    type: 'integer',
  },
  DAY15_MAX_EVENT_BYTES: {
    minimum: 256,
    maximum: 10485760,
    default: 65536,
    description: 'largest body of `POST /webhook/events`',
    type: 'integer',
  },
  DAY15_MAX_BATCH_EVENTS: {
    minimum: 1,
    maximum: 5000,
    default: 1000,
    description: 'most events in one `POST /webhook/batch` (the enqueue script pushes them in one call)',
    type: 'integer',
  },
  DAY15_MAX_BATCH_BYTES: {
    minimum: 1024,
    maximum: 104857600,
    default: 5242880,
    description: 'largest body of `POST /webhook/batch`',
    type: 'integer',
  },
  DAY15_MAX_QUEUE_DEPTH: {
    minimum: 1,
    maximum: 1000000000,
    default: 1000000,
    description: 'ready backlog at which new events get `503 backpressure`',
    type: 'integer',
  },
  DAY15_CONSUMER_COUNT: {
    minimum: 1,
    maximum: 32,
    default: 1,
    description: 'consumer processes `npm run orchestrate` starts in Redis mode',
    type: 'integer',
  },
  DAY15_CONSUMER_HEALTH_PORT: {
    minimum: 0,
    maximum: 65535,
    default: 0,
    description:
      "port of each consumer's probe listener (`GET /livez`, `GET /readyz`: ready while its loop reached Redis recently); `0` = no listener. `npm run orchestrate` gives its consumers consecutive ports from this one",
    type: 'integer',
  },
  DAY15_BATCH_SIZE: {
    minimum: 1,
    maximum: 2000,
    default: 10,
    description: 'most events per consumer batch',
    type: 'integer',
  },
  DAY15_BATCH_TIMEOUT_SECONDS: {
    minimum: 0,
    maximum: 3600,
    default: 5,
    description:
      'upper bound on how long a partial batch waits to fill. A batch is processed as soon as it is full, ' +
      'or no new event arrived for 20 ms, or its first event has waited this long, whichever comes first. So under ' +
      'load batches are full, at low load an event is processed within tens of milliseconds, and no event ever waits ' +
      'longer than this for its batch. `0` = never wait',
    type: 'number',
  },
  DAY15_MAX_RETRIES: {
    minimum: 1,
    maximum: 100,
    default: 3,
    description:
      'processing attempts in all (3 = the first try and 2 retries) before the dead-letter queue; a lease that expires (crashed consumer) counts as an attempt',
    type: 'integer',
  },
  DAY15_RETRY_DELAY_SECONDS: {
    minimum: 0,
    maximum: 3600,
    default: 2,
    description: 'backoff base: attempt n waits a random 50-100 % of base × 2^(n-1), at most 5 min',
    type: 'number',
  },
  DAY15_LEASE_SECONDS: {
    minimum: 0.1,
    maximum: 3600,
    default: 30,
    description:
      'how long a consumer holds claimed events without renewing the lease (it renews every third of it); when a ' +
      'consumer crashes or freezes, its events go back to the queue this long after its last renewal',
    type: 'number',
  },
  DAY15_IDEMPOTENCY_TTL_HOURS: {
    exclusiveMinimum: 0,
    maximum: 8760,
    default: 24,
    description: 'how long an `event_id` is remembered (one key per id, its own TTL)',
    type: 'number',
  },
  DAY15_DRY_RUN: {
    default: false,
    description: 'log what each event would change, apply nothing, ack',
    type: 'boolean',
  },
  DAY15_BASE_CURRENCY: {
    default: 'USD',
    description:
      'the currency MRR and its movements are reported in (ISO 4217); subscription events without ' +
      '`metadata.currency` are in it',
    type: 'string',
    enum: currencyCodes,
  },
  DAY15_FX_RATES: {
    pattern: '^[A-Z]{3}=[0-9]+(\\.[0-9]+)?(,[A-Z]{3}=[0-9]+(\\.[0-9]+)?)*$',
    description:
      'conversion rates to the base currency, as base units per one unit of each currency, e.g. ' +
      '`EUR=1.08,GBP=1.27`; applied when the metrics are read. A currency without a rate is reported under ' +
      '`subscriptions.unconverted` and left out of MRR, never added as if it were the base',
    type: 'string',
  },
  DAY15_FX_RATES_DATE: {
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
    description: 'the day `DAY15_FX_RATES` are valid for (`YYYY-MM-DD`), shown with the figures',
    type: 'string',
  },
  DAY15_DASHBOARD_UPDATE_ENABLED: {
    default: false,
    description:
      'POST each batch summary `{ consumer_id, processed_at, events, success, failed, by_type }` to the ' +
      'dashboard API (2 s timeout, retried every 5 s while it fails; never blocks processing)',
    type: 'boolean',
  },
  DAY15_DASHBOARD_API_URL: {
    pattern: '^https?://[^\\s]+$',
    default: 'http://localhost:8000/api/metrics',
    description: 'the dashboard API that `DAY15_DASHBOARD_UPDATE_ENABLED` posts to',
    type: 'string',
  },
  DAY15_ARCHIVE_ENABLED: {
    description:
      'write every processed and dead-lettered event to the archive (`DAY15_ARCHIVE_DIR`), which ' +
      '`npm run archive` queries and `npm run rebuild-analytics` recomputes the analytics from; ' +
      'unset = on with Redis, off in the in-memory mode',
    type: 'boolean',
  },
  DAY15_ARCHIVE_DIR: {
    minLength: 1,
    default: 'data/archive',
    description:
      'the archive folder: one JSON Lines file per consumer per UTC day, gzip-compressed once the day is closed',
    type: 'string',
  },
  DAY15_ARCHIVE_DAYS: {
    minimum: 1,
    maximum: 3650,
    default: 90,
    description: 'days of archive kept; whole older days are deleted',
    type: 'integer',
  },
  DAY15_LOG_LEVEL: {
    default: 'info',
    description: 'the most detailed level written',
    type: 'string',
    enum: ['error', 'warn', 'info', 'debug'],
  },
  DAY15_LOG_FORMAT: {
    default: 'text',
    description: '`text` (`2026-11-26 19:30:15,234 - INFO - receiver - ...`) or `json` (one object per line)',
    type: 'string',
    enum: ['text', 'json'],
  },
  DAY15_LOG_FILE: {
    minLength: 1,
    default: 'logs/day15_pipeline.log',
    description: 'merged pipeline log',
    type: 'string',
  },
});

/** The name of a configuration variable, e.g. `DAY15_BATCH_SIZE`. */
export type ConfigVariable = keyof typeof configSchema.properties;

/**
 * The variables once validated: coerced to their types, defaults filled in; optional exactly where the schema
 * has no default (the Redis cluster, Sentinel and URL settings, DAY15_WEBHOOK_SECRETS, DAY15_OPS_TOKEN).
 */
export type ConfigValues = FromSchema<typeof configSchema>;

/** Whether `name` is a known configuration variable. */
export function isConfigVariable(name: string): name is ConfigVariable {
  return Object.hasOwn(configSchema.properties, name);
}

/** Every configuration variable, in schema order. */
export const configVariables: readonly ConfigVariable[] = Object.keys(configSchema.properties).filter(isConfigVariable);

// The keywords describeAllowed reads (the index signature lets every entry's type fit).
interface PropertySchema {
  [keyword: string]: unknown;
  type?: string;
  enum?: readonly string[];
  pattern?: string;
  /** What the pattern allows, in words. */
  title?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
}

/**
 * What a variable accepts, in words, e.g. `an integer from 1 to 2000`, `true or false`, `one of text, json`,
 * `a string matching ^rediss?://[^\s]+$`.
 * Used by loadConfig's error messages; with `markdown`, enum values and patterns are set as code (README table).
 */
export function describeAllowed(name: ConfigVariable, { markdown = false }: { markdown?: boolean } = {}): string {
  const schema: PropertySchema = configSchema.properties[name];
  const code = (text: string) => (markdown ? `\`${text}\`` : text);
  if (schema.enum) return `one of ${schema.enum.map(code).join(', ')}`;
  if (schema.type === 'boolean') return markdown ? '`true` or `false`' : 'true or false';
  if (schema.type === 'integer' || schema.type === 'number') {
    const kind = schema.type === 'integer' ? 'an integer' : 'a number';
    const low = schema.minimum ?? schema.exclusiveMinimum;
    const lowWord = schema.exclusiveMinimum === undefined ? 'from' : 'above';
    return `${kind} ${lowWord} ${low} to ${schema.maximum}`;
  }
  // A pattern too long to read says what it allows in its title.
  if (schema.pattern) return schema.title ?? `a string matching ${code(schema.pattern)}`;
  if (schema.minLength && schema.minLength > 1) return `a string of at least ${schema.minLength} characters`;
  // Any string fits (an empty value counts as unset), so no error message ever says this.
  if (schema.minLength === undefined) return 'any string';
  return 'a non-empty string';
}
