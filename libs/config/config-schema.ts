// The DAY15_* variables as one JSON Schema: defaults, types and limits live here and nowhere else.
// Values arrive as strings; ajv coerces them ("10" -> 10, "true" -> true) and rejects what does not fit.

export const configSchema = {
  type: 'object',
  properties: {
    DAY15_USE_MOCK_REDIS: { type: 'boolean', default: true },
    DAY15_REDIS_URL: { type: 'string', pattern: '^rediss?://[^\\s]+$' },
    DAY15_REDIS_HOST: { type: 'string', minLength: 1, maxLength: 255, default: 'localhost' },
    DAY15_REDIS_PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 6379 },
    DAY15_REDIS_PASSWORD: { type: 'string', default: '' },
    DAY15_REDIS_DB: { type: 'integer', minimum: 0, maximum: 15, default: 0 },
    DAY15_REDIS_EMBEDDED: { type: 'boolean', default: false },
    DAY15_KEY_PREFIX: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', default: 'day15' },
    DAY15_WEBHOOK_HOST: { type: 'string', minLength: 1, maxLength: 255, default: '0.0.0.0' },
    DAY15_WEBHOOK_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 5015 },
    DAY15_WEBHOOK_SECRETS: { type: 'string', pattern: '^whsec_[A-Za-z0-9+/]+={0,2}(,whsec_[A-Za-z0-9+/]+={0,2})*$' },
    DAY15_ADMIN_TOKEN: { type: 'string', minLength: 16, maxLength: 512 },
    DAY15_SIGNATURE_TOLERANCE_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 300 },
    DAY15_MAX_EVENT_BYTES: { type: 'integer', minimum: 256, maximum: 10485760, default: 65536 },
    DAY15_MAX_BATCH_EVENTS: { type: 'integer', minimum: 1, maximum: 5000, default: 1000 },
    DAY15_MAX_BATCH_BYTES: { type: 'integer', minimum: 1024, maximum: 104857600, default: 5242880 },
    DAY15_MAX_QUEUE_DEPTH: { type: 'integer', minimum: 1, maximum: 1000000000, default: 1000000 },
    DAY15_CONSUMER_COUNT: { type: 'integer', minimum: 1, maximum: 32, default: 1 },
    DAY15_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 2000, default: 10 },
    DAY15_BATCH_TIMEOUT_SECONDS: { type: 'number', minimum: 0, maximum: 3600, default: 5 },
    DAY15_MAX_RETRIES: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
    DAY15_RETRY_DELAY_SECONDS: { type: 'number', minimum: 0, maximum: 3600, default: 2 },
    DAY15_LEASE_SECONDS: { type: 'number', minimum: 0.1, maximum: 3600, default: 30 },
    DAY15_IDEMPOTENCY_TTL_HOURS: { type: 'number', exclusiveMinimum: 0, maximum: 8760, default: 24 },
    DAY15_DRY_RUN: { type: 'boolean', default: false },
    DAY15_DASHBOARD_UPDATE_ENABLED: { type: 'boolean', default: false },
    DAY15_DASHBOARD_API_URL: {
      type: 'string',
      pattern: '^https?://[^\\s]+$',
      default: 'http://localhost:8000/api/metrics',
    },
    DAY15_LOG_LEVEL: { type: 'string', enum: ['error', 'warn', 'info', 'debug'], default: 'info' },
    DAY15_LOG_FORMAT: { type: 'string', enum: ['text', 'json'], default: 'text' },
    DAY15_LOG_FILE: { type: 'string', minLength: 1, default: 'logs/day15_pipeline.log' },
  },
  additionalProperties: false,
} as const;

export type ConfigVariable = keyof typeof configSchema.properties;

interface PropertySchema {
  type: string;
  enum?: readonly string[];
  pattern?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
}

// What a variable accepts, in words, for error messages and the docs.
export function describeAllowed(name: ConfigVariable): string {
  const schema: PropertySchema = configSchema.properties[name];
  if (schema.enum) return `one of ${schema.enum.join(', ')}`;
  if (schema.type === 'boolean') return 'true or false';
  if (schema.type === 'integer' || schema.type === 'number') {
    const kind = schema.type === 'integer' ? 'an integer' : 'a number';
    const low = schema.minimum ?? schema.exclusiveMinimum;
    const lowWord = schema.exclusiveMinimum === undefined ? 'from' : 'above';
    return `${kind} ${lowWord} ${low} to ${schema.maximum}`;
  }
  if (schema.pattern) return `a string matching ${schema.pattern}`;
  if (schema.minLength && schema.minLength > 1) return `a string of at least ${schema.minLength} characters`;
  return 'a non-empty string';
}
