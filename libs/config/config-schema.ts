// The DAY15_* variables as one JSON Schema: each entry's type, limits, default and doc text live here and nowhere
// else. loadConfig validates with it, ConfigValues (the variables after validation) is derived from it, and the
// README configuration table is generated from it (config-docs.ts; test/config-docs.test.ts keeps README and
// config/.env.example in step). Values arrive as strings; ajv coerces them ("10" -> 10, "true" -> true) and
// rejects what does not fit. Built with TypeBox for the reasons given at the top of libs/events/event-schemas.ts.
import { Type, type Static, type TUnsafe } from '@sinclair/typebox';

/**
 * The rule for a Redis key namespace part (DAY15_KEY_PREFIX, queue names): 1-64 of `A-Z a-z 0-9 _ . -`.
 * The one definition: the config schema uses its `.source`, libs/queue's queueKeys should test with it.
 */
export const keyNamePattern = /^[A-Za-z0-9_.-]{1,64}$/;

// A JSON Schema `enum` typed as the union of its values (TypeBox's Union of Literals would be an anyOf, which
// describeAllowed cannot describe). libs/events has its own two-line twin; config imports nothing from events.
function stringEnum<const T extends readonly string[]>(
  values: T,
  options: { default: T[number]; description: string },
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/** The DAY15_* variables: every property is one variable, with `description` (markdown) and, if it has one, `default`. */
export const configSchema = Type.Object(
  {
    DAY15_USE_MOCK_REDIS: Type.Boolean({
      default: true,
      description: 'in-process ioredis-mock instead of Redis (nothing to install; not shared between processes)',
    }),
    DAY15_REDIS_URL: Type.Optional(
      Type.String({
        pattern: '^rediss?://[^\\s]+$',
        description: 'full `redis://` or `rediss://` URL; wins over host/port/password/db',
      }),
    ),
    DAY15_REDIS_HOST: Type.String({ minLength: 1, maxLength: 255, default: 'localhost', description: 'Redis host' }),
    DAY15_REDIS_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 6379, description: 'Redis port' }),
    DAY15_REDIS_PASSWORD: Type.String({ default: '', description: 'Redis password (never logged)' }),
    DAY15_REDIS_DB: Type.Integer({ minimum: 0, maximum: 15, default: 0, description: 'Redis database number' }),
    DAY15_REDIS_EMBEDDED: Type.Boolean({
      default: false,
      description:
        'with Redis mode, `npm run orchestrate` starts its own `redis-server` on `127.0.0.1:DAY15_REDIS_PORT`, ' +
        'append-only with `appendfsync always`, data in `data/redis/port-<port>/`',
    }),
    DAY15_KEY_PREFIX: Type.String({
      pattern: keyNamePattern.source,
      default: 'day15',
      description: 'namespace of every Redis key; keys look like `day15:{events}:ready`',
    }),
    DAY15_WEBHOOK_HOST: Type.String({
      minLength: 1,
      maxLength: 255,
      default: '0.0.0.0',
      description: 'receiver bind address',
    }),
    DAY15_WEBHOOK_PORT: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 5015,
      description: 'receiver port (`0` = any free port)',
    }),
    DAY15_WEBHOOK_SECRETS: Type.Optional(
      Type.String({
        pattern: '^whsec_[A-Za-z0-9+/]+={0,2}(,whsec_[A-Za-z0-9+/]+={0,2})*$',
        description:
          'comma-separated Standard Webhooks secrets `whsec_<base64>` (several while rotating); unset = no signature check',
      }),
    ),
    DAY15_ADMIN_TOKEN: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 512,
        description: 'bearer token of the `/admin` dead-letter routes; unset = those routes do not exist (404)',
      }),
    ),
    DAY15_SIGNATURE_TOLERANCE_SECONDS: Type.Integer({
      minimum: 1,
      maximum: 86400,
      default: 300,
      description: 'how far a signature timestamp may be in the past or future',
    }),
    DAY15_MAX_EVENT_BYTES: Type.Integer({
      minimum: 256,
      maximum: 10485760,
      default: 65536,
      description: 'largest body of `POST /webhook/events`',
    }),
    DAY15_MAX_BATCH_EVENTS: Type.Integer({
      minimum: 1,
      maximum: 5000,
      default: 1000,
      description: 'most events in one `POST /webhook/batch` (the enqueue script pushes them in one call)',
    }),
    DAY15_MAX_BATCH_BYTES: Type.Integer({
      minimum: 1024,
      maximum: 104857600,
      default: 5242880,
      description: 'largest body of `POST /webhook/batch`',
    }),
    DAY15_MAX_QUEUE_DEPTH: Type.Integer({
      minimum: 1,
      maximum: 1000000000,
      default: 1000000,
      description: 'ready backlog at which new events get `503 backpressure`',
    }),
    DAY15_CONSUMER_COUNT: Type.Integer({
      minimum: 1,
      maximum: 32,
      default: 1,
      description: 'consumer processes `npm run orchestrate` starts in Redis mode',
    }),
    DAY15_BATCH_SIZE: Type.Integer({
      minimum: 1,
      maximum: 2000,
      default: 10,
      description: 'most events per consumer batch',
    }),
    DAY15_BATCH_TIMEOUT_SECONDS: Type.Number({
      minimum: 0,
      maximum: 3600,
      default: 5,
      description:
        'upper bound on how long a partial batch waits to fill. A batch is processed as soon as it is full, ' +
        'or no new event arrived for 20 ms, or its first event has waited this long, whichever comes first. So under ' +
        'load batches are full, at low load an event is processed within tens of milliseconds, and no event ever waits ' +
        'longer than this for its batch. `0` = never wait',
    }),
    DAY15_MAX_RETRIES: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 3,
      description:
        'processing attempts in all (3 = the first try and 2 retries) before the dead-letter queue; a lease that expires (crashed consumer) counts as an attempt',
    }),
    DAY15_RETRY_DELAY_SECONDS: Type.Number({
      minimum: 0,
      maximum: 3600,
      default: 2,
      description: 'backoff base: attempt n waits a random 50-100 % of base × 2^(n-1), at most 5 min',
    }),
    DAY15_LEASE_SECONDS: Type.Number({
      minimum: 0.1,
      maximum: 3600,
      default: 30,
      description:
        'how long a consumer holds claimed events without renewing the lease (it renews every third of it); when a ' +
        'consumer crashes or freezes, its events go back to the queue this long after its last renewal',
    }),
    DAY15_IDEMPOTENCY_TTL_HOURS: Type.Number({
      exclusiveMinimum: 0,
      maximum: 8760,
      default: 24,
      description: 'how long an `event_id` is remembered (one key per id, its own TTL)',
    }),
    DAY15_DRY_RUN: Type.Boolean({
      default: false,
      description: 'log what each event would change, apply nothing, ack',
    }),
    DAY15_DASHBOARD_UPDATE_ENABLED: Type.Boolean({
      default: false,
      description:
        'POST each batch summary `{ consumer_id, processed_at, events, success, failed, by_type }` to the ' +
        'dashboard API (2 s timeout, retried every 5 s while it fails; never blocks processing)',
    }),
    DAY15_DASHBOARD_API_URL: Type.String({
      pattern: '^https?://[^\\s]+$',
      default: 'http://localhost:8000/api/metrics',
      description: 'the dashboard API that `DAY15_DASHBOARD_UPDATE_ENABLED` posts to',
    }),
    DAY15_LOG_LEVEL: stringEnum(['error', 'warn', 'info', 'debug'], {
      default: 'info',
      description: 'the most detailed level written',
    }),
    DAY15_LOG_FORMAT: stringEnum(['text', 'json'], {
      default: 'text',
      description: '`text` (`2026-11-26 19:30:15,234 - INFO - receiver - ...`) or `json` (one object per line)',
    }),
    DAY15_LOG_FILE: Type.String({
      minLength: 1,
      default: 'logs/day15_pipeline.log',
      description: 'merged pipeline log',
    }),
  },
  { additionalProperties: false },
);

/** The name of a configuration variable, e.g. `DAY15_BATCH_SIZE`. */
export type ConfigVariable = keyof typeof configSchema.properties;

/**
 * The variables once validated: coerced to their types, defaults filled in; optional exactly where the schema
 * has no default (DAY15_REDIS_URL, DAY15_WEBHOOK_SECRETS, DAY15_ADMIN_TOKEN).
 */
export type ConfigValues = Static<typeof configSchema>;

/** Whether `name` is a known configuration variable. */
export function isConfigVariable(name: string): name is ConfigVariable {
  return Object.hasOwn(configSchema.properties, name);
}

/** Every configuration variable, in schema order. */
export const configVariables: readonly ConfigVariable[] = Object.keys(configSchema.properties).filter(isConfigVariable);

// The keywords describeAllowed reads (the index signature lets every entry's TypeBox type fit).
interface PropertySchema {
  [keyword: string]: unknown;
  type?: string;
  enum?: readonly string[];
  pattern?: string;
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
  if (schema.pattern) return `a string matching ${code(schema.pattern)}`;
  if (schema.minLength && schema.minLength > 1) return `a string of at least ${schema.minLength} characters`;
  // Any string fits (an empty value counts as unset), so no error message ever says this.
  if (schema.minLength === undefined) return 'any string';
  return 'a non-empty string';
}
