import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, configSchema, keyNamePattern, loadConfig, redactConfig } from '../index.js';

const noFile = join(tmpdir(), 'day15-no-such-file.env');

function envFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'day15-env-')), '.env');
  writeFileSync(path, text);
  return path;
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ env, envFile: noFile });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults when nothing is set', () => {
    const config = loadConfig({ env: {}, envFile: noFile });
    expect(config).toEqual({
      redis: {
        useMock: true,
        useMockExplicit: false,
        mode: 'single',
        clusterNodes: [],
        sentinels: [],
        sentinelName: undefined,
        waitReplicas: 0,
        waitTimeoutMs: 250,
        embedded: 'auto',
        url: undefined,
        host: 'localhost',
        port: 6379,
        password: '',
        db: 0,
        keyPrefix: 'day15',
        partitions: 1,
      },
      webhook: {
        host: '0.0.0.0',
        port: 5015,
        secrets: [],
        signatureToleranceMs: 300_000,
        maxEventBytes: 65_536,
        maxBatchEvents: 1000,
        maxBatchBytes: 5_242_880,
        maxQueueDepth: 1_000_000,
      },
      ops: { host: '127.0.0.1', port: 5016, token: undefined },
      processing: {
        consumerCount: 1,
        healthPort: 0,
        batchSize: 10,
        batchTimeoutMs: 5000,
        maxAttempts: 3,
        retryDelayMs: 2000,
        leaseMs: 30_000,
        idempotencyTtlMs: 86_400_000,
        dryRun: false,
      },
      analytics: { baseCurrency: 'USD', fxRates: {}, fxRatesDate: null },
      archive: { enabled: false, dir: 'data/archive', retentionDays: 90 },
      dashboard: { updateEnabled: false, apiUrl: 'http://localhost:8000/api/metrics' },
      log: { level: 'info', format: 'text', file: 'logs/day15_pipeline.log' },
    });
  });

  it('reads config/.env and lets real environment variables win over it', () => {
    const file = envFile('DAY15_BATCH_SIZE=50\nDAY15_USE_MOCK_REDIS=false\nDAY15_REDIS_PORT=6380\n');
    const config = loadConfig({ env: { DAY15_BATCH_SIZE: '25', PATH: '/usr/bin' }, envFile: file });
    expect(config.processing.batchSize).toBe(25);
    expect(config.redis.useMock).toBe(false);
    expect(config.redis.port).toBe(6380);
  });

  it('lets overrides (what a parent passes its children) win over the environment and the file', () => {
    const file = envFile('DAY15_USE_MOCK_REDIS=true\nDAY15_REDIS_HOST=redis.internal\n');
    const config = loadConfig({
      env: { DAY15_REDIS_EMBEDDED: 'auto', DAY15_BATCH_SIZE: '25' },
      envFile: file,
      overrides: { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_EMBEDDED: 'true', DAY15_REDIS_HOST: '127.0.0.1' },
    });
    expect(config.redis).toMatchObject({ useMock: false, embedded: true, host: '127.0.0.1' });
    expect(config.processing.batchSize).toBe(25);
  });

  it('converts seconds and hours into milliseconds, keeping fractions', () => {
    const config = loadConfig({
      env: {
        DAY15_BATCH_TIMEOUT_SECONDS: '0.25',
        DAY15_RETRY_DELAY_SECONDS: '1.5',
        DAY15_IDEMPOTENCY_TTL_HOURS: '0.5',
      },
      envFile: noFile,
    });
    expect(config.processing).toMatchObject({ batchTimeoutMs: 250, retryDelayMs: 1500, idempotencyTtlMs: 1_800_000 });
  });

  it('archives by default with Redis and not in the in-memory mode, unless DAY15_ARCHIVE_ENABLED says otherwise', () => {
    const archive = (env: Record<string, string>) => loadConfig({ env, envFile: noFile }).archive.enabled;
    expect(archive({})).toBe(false);
    expect(archive({ DAY15_USE_MOCK_REDIS: 'false' })).toBe(true);
    expect(archive({ DAY15_USE_MOCK_REDIS: 'false', DAY15_ARCHIVE_ENABLED: 'false' })).toBe(false);
    expect(archive({ DAY15_ARCHIVE_ENABLED: 'true' })).toBe(true);
    expect(archive({ DAY15_USE_MOCK_REDIS: 'false', DAY15_ARCHIVE_ENABLED: '' })).toBe(true);
  });

  it.each([
    [{}, true, false],
    [{ DAY15_USE_MOCK_REDIS: '' }, true, false],
    [{ DAY15_USE_MOCK_REDIS: 'true' }, true, true],
    [{ DAY15_USE_MOCK_REDIS: 'false' }, false, true],
  ])(
    'reads %j as useMock %s, set explicitly: %s (unset leaves npm run orchestrate free to choose)',
    (env, useMock, explicit) => {
      const { redis } = loadConfig({ env, envFile: noFile });
      expect([redis.useMock, redis.useMockExplicit]).toEqual([useMock, explicit]);
    },
  );

  it.each([
    ['auto', 'auto'],
    ['true', true],
    ['false', false],
  ] as const)('reads DAY15_REDIS_EMBEDDED=%s as %s', (value, embedded) => {
    expect(loadConfig({ env: { DAY15_REDIS_EMBEDDED: value }, envFile: noFile }).redis.embedded).toBe(embedded);
  });

  it('treats an empty value as unset', () => {
    expect(
      loadConfig({ env: { DAY15_REDIS_URL: '', DAY15_BATCH_SIZE: '' }, envFile: noFile }).processing.batchSize,
    ).toBe(10);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ env: {}, envFile: noFile });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.redis)).toBe(true);
  });

  it.each([
    ['DAY15_BATCH_SIZE', 'abc', 'an integer from 1 to 2000'],
    ['DAY15_BATCH_SIZE', '0', 'an integer from 1 to 2000'],
    ['DAY15_BATCH_SIZE', '10.5', 'an integer from 1 to 2000'],
    ['DAY15_USE_MOCK_REDIS', 'yes', 'true or false'],
    ['DAY15_REDIS_EMBEDDED', 'yes', 'one of true, false, auto'],
    ['DAY15_REDIS_PORT', '70000', 'an integer from 1 to 65535'],
    ['DAY15_IDEMPOTENCY_TTL_HOURS', '0', 'a number above 0 to 8760'],
    ['DAY15_LOG_LEVEL', 'verbose', 'one of error, warn, info, debug'],
    ['DAY15_LOG_FORMAT', 'xml', 'one of text, json'],
    ['DAY15_REDIS_URL', 'http://localhost', 'a string matching'],
    ['DAY15_KEY_PREFIX', 'bad{tag}', 'a string matching'],
    ['DAY15_WEBHOOK_SECRETS', 'plain-secret', 'a string matching'],
    ['DAY15_OPS_TOKEN', 'short', 'a string of at least 16 characters'],
  ])('rejects %s=%s naming the variable, the value and what is allowed', (name, value, allowed) => {
    const [problem] = problemsOf({ [name]: value });
    expect(problem).toContain(`${name}="${value}"`);
    expect(problem).toContain(allowed);
  });

  it('rejects an unknown DAY15_ variable (a typo would otherwise be silently ignored)', () => {
    const [problem] = problemsOf({ DAY15_BATCH_SIZ: '5' });
    expect(problem).toMatch(/DAY15_BATCH_SIZ is not a known variable.*DAY15_BATCH_SIZE/);
  });

  it('names the replacement of a renamed variable (DAY15_ADMIN_TOKEN is now DAY15_OPS_TOKEN)', () => {
    expect(problemsOf({ DAY15_ADMIN_TOKEN: 'a-long-enough-admin-token' })).toEqual([
      expect.stringContaining('DAY15_ADMIN_TOKEN was replaced by DAY15_OPS_TOKEN'),
    ]);
  });

  it.each(['0.0.0.0', '::', '10.1.2.3', 'ops.example.com', '::ffff:10.0.0.1'])(
    'refuses DAY15_OPS_HOST=%s without DAY15_OPS_TOKEN, saying why and what to do',
    (host) => {
      const [problem] = problemsOf({ DAY15_OPS_HOST: host });
      expect(problem).toContain(`DAY15_OPS_HOST="${host}" is not a loopback address and DAY15_OPS_TOKEN is unset`);
      expect(problem).toContain('revenue numbers');
      expect(problem).toContain('Set DAY15_OPS_TOKEN');
      const token = 'an-ops-token-of-16+chars';
      expect(loadConfig({ env: { DAY15_OPS_HOST: host, DAY15_OPS_TOKEN: token }, envFile: noFile }).ops).toEqual({
        host,
        port: 5016,
        token,
      });
    },
  );

  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])(
    'lets the ops listener bind %s (loopback) without credentials',
    (host) => {
      expect(loadConfig({ env: { DAY15_OPS_HOST: host }, envFile: noFile }).ops.host).toBe(host);
    },
  );

  it("reads a cluster's seeds and a Sentinel setup into addresses (IPv6 in brackets)", () => {
    const real = { DAY15_USE_MOCK_REDIS: 'false' };
    const cluster = loadConfig({
      env: {
        ...real,
        DAY15_REDIS_MODE: 'cluster',
        DAY15_REDIS_CLUSTER_NODES: '10.0.0.1:7000,[::1]:7001,redis-a:65535',
      },
      envFile: noFile,
    }).redis;
    expect([cluster.mode, cluster.clusterNodes]).toEqual([
      'cluster',
      [
        { host: '10.0.0.1', port: 7000 },
        { host: '::1', port: 7001 },
        { host: 'redis-a', port: 65535 },
      ],
    ]);
    const sentinel = loadConfig({
      env: {
        ...real,
        DAY15_REDIS_MODE: 'sentinel',
        DAY15_REDIS_SENTINELS: 's1:26379',
        DAY15_REDIS_SENTINEL_NAME: 'day15',
      },
      envFile: noFile,
    }).redis;
    expect([sentinel.sentinels, sentinel.sentinelName]).toEqual([[{ host: 's1', port: 26379 }], 'day15']);
  });

  it.each([
    [{ DAY15_REDIS_MODE: 'cluster', DAY15_REDIS_CLUSTER_NODES: 'a:1' }, 'DAY15_REDIS_MODE=cluster needs real Redis'],
    [
      { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_MODE: 'cluster' },
      'DAY15_REDIS_MODE=cluster needs DAY15_REDIS_CLUSTER_NODES',
    ],
    [
      { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_MODE: 'sentinel', DAY15_REDIS_SENTINELS: 'a:1' },
      'DAY15_REDIS_MODE=sentinel needs DAY15_REDIS_SENTINELS',
    ],
    [
      {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_MODE: 'cluster',
        DAY15_REDIS_CLUSTER_NODES: 'a:1',
        DAY15_REDIS_DB: '2',
      },
      'Redis Cluster has only database 0',
    ],
    [
      {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_MODE: 'cluster',
        DAY15_REDIS_CLUSTER_NODES: 'a:1',
        DAY15_REDIS_EMBEDDED: 'true',
      },
      'DAY15_REDIS_EMBEDDED starts one redis-server',
    ],
    [
      {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_MODE: 'sentinel',
        DAY15_REDIS_SENTINELS: 'a:1',
        DAY15_REDIS_SENTINEL_NAME: 'x',
        DAY15_REDIS_URL: 'redis://a:1',
      },
      'DAY15_REDIS_URL is for DAY15_REDIS_MODE=single',
    ],
    [
      { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_CLUSTER_NODES: 'a:1' },
      'DAY15_REDIS_CLUSTER_NODES is set but DAY15_REDIS_MODE is not cluster',
    ],
    [{ DAY15_REDIS_WAIT_REPLICAS: '1' }, 'DAY15_REDIS_WAIT_REPLICAS needs real Redis'],
  ])('refuses Redis settings that do not fit the mode: %j', (env, problem) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(problem)]);
  });

  it.each(['10.0.0.1', 'a:b', 'a:0', 'a:65536', 'a:99999', 'a:7000,', ':7000', 'a:7000;b:7001'])(
    'rejects the seed list "%s" naming what is allowed',
    (seeds) => {
      expect(problemsOf({ DAY15_REDIS_CLUSTER_NODES: seeds })).toEqual([
        `DAY15_REDIS_CLUSTER_NODES="${seeds}" is not allowed: expected a comma-separated list of host:port`,
      ]);
    },
  );

  it('reads conversion rates and refuses unknown currencies, a rate for the base and a zero rate', () => {
    const config = loadConfig({
      env: { DAY15_BASE_CURRENCY: 'EUR', DAY15_FX_RATES: 'USD=0.92,GBP=1.17', DAY15_FX_RATES_DATE: '2026-11-01' },
      envFile: noFile,
    });
    expect(config.analytics).toEqual({
      baseCurrency: 'EUR',
      fxRates: { USD: 0.92, GBP: 1.17 },
      fxRatesDate: '2026-11-01',
    });
    expect(() => loadConfig({ env: { DAY15_FX_RATES: 'XYZ=1,USD=1.0,EUR=0' }, envFile: noFile })).toThrow(
      /XYZ, which is not an ISO 4217 currency code[\s\S]*rate for USD, the base currency[\s\S]*EUR the rate 0: a rate must be above 0/,
    );
    expect(() => loadConfig({ env: { DAY15_BASE_CURRENCY: 'usd' }, envFile: noFile })).toThrow(
      /DAY15_BASE_CURRENCY="usd"/,
    );
  });

  it('reports every problem at once in one message', () => {
    expect(() => loadConfig({ env: { DAY15_BATCH_SIZE: 'x', DAY15_DRY_RUN: 'maybe' }, envFile: noFile })).toThrow(
      /Invalid configuration:\n {2}- DAY15_BATCH_SIZE="x".*\n {2}- DAY15_DRY_RUN="maybe"/,
    );
  });
});

it('splits DAY15_WEBHOOK_SECRETS into the secrets used for rotation', () => {
  const config = loadConfig({ env: { DAY15_WEBHOOK_SECRETS: 'whsec_bmV3,whsec_b2xk' }, envFile: noFile });
  expect(config.webhook.secrets).toEqual(['whsec_bmV3', 'whsec_b2xk']);
  expect(JSON.stringify(redactConfig(config))).not.toContain('whsec_');
});

it('redacts the ops credential when the config is logged', () => {
  const config = loadConfig({ env: { DAY15_OPS_TOKEN: 'secret-ops-token-1234' }, envFile: noFile });
  expect(redactConfig(config).ops.token).toBe('***');
  expect(JSON.stringify(redactConfig(config))).not.toContain('secret-ops-token');
});

it('checks DAY15_KEY_PREFIX with keyNamePattern, the one key-name rule (queue keys use it too)', () => {
  expect(configSchema.properties.DAY15_KEY_PREFIX.pattern).toBe(keyNamePattern.source);
  for (const prefix of ['day15', 'a.B-c_9', 'x'.repeat(64)]) {
    expect(keyNamePattern.test(prefix)).toBe(true);
    expect(loadConfig({ env: { DAY15_KEY_PREFIX: prefix }, envFile: noFile }).redis.keyPrefix).toBe(prefix);
  }
  for (const prefix of ['x'.repeat(65), 'a:b', 'a b', 'bad{tag}']) {
    expect(keyNamePattern.test(prefix)).toBe(false);
    expect(problemsOf({ DAY15_KEY_PREFIX: prefix })).toHaveLength(1);
  }
});

describe('redactConfig', () => {
  it('hides the Redis password, also inside a URL', () => {
    const config = loadConfig({
      env: { DAY15_REDIS_PASSWORD: 's3cret', DAY15_REDIS_URL: 'redis://user:s3cret@redis.example:6379/0' },
      envFile: noFile,
    });
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('s3cret');
    expect(shown).toContain('redis://user:***@redis.example:6379/0');
  });
});
