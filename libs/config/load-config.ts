import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseDotenv } from 'dotenv';
import { ConfigError } from './config-error.js';
import {
  configSchema,
  configVariables,
  describeAllowed,
  isConfigVariable,
  type ConfigValues,
} from './config-schema.js';
import { parseRates, toConfig, usesMock, type Day15Config } from './day15-config.js';
import { currencyCodes } from '../events/index.js';
import { isLoopbackHost } from './ops-endpoint.js';

// Variables that were renamed: naming the new one beats "not a known variable".
const renamed: Record<string, string> = {
  DAY15_ADMIN_TOKEN:
    'DAY15_ADMIN_TOKEN was replaced by DAY15_OPS_TOKEN, which guards every ops route (dashboard, metrics and /admin)',
};

/** Where loadConfig reads the DAY15_* variables from. */
export interface LoadConfigOptions {
  /** Variables from the real environment; they win over the file. */
  env?: Readonly<Record<string, string | undefined>>;
  /** dotenv file; a missing file is fine (defaults and the environment apply). */
  envFile?: string;
  /**
   * Variables that win over the environment and the file: what a parent adds to its children's environment
   * (npm run orchestrate, its Redis choice), so the parent sees the configuration they will load.
   */
  overrides?: Readonly<Record<string, string>>;
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: true });
const validate = ajv.compile<ConfigValues>(configSchema);

/**
 * Reads the dotenv file (default `config/.env`) and the environment, validates every DAY15_* variable against
 * configSchema (empty values count as unset) and returns the deeply frozen configuration. Throws a ConfigError
 * naming every unknown variable and every malformed value with what it allows.
 */
export function loadConfig(options: LoadConfigOptions = {}): Day15Config {
  const envFile = options.envFile ?? resolve(process.cwd(), 'config/.env');
  const raw = {
    ...readEnvFile(envFile),
    ...pickDay15(options.env ?? process.env),
    ...pickDay15(options.overrides ?? {}),
  };
  const problems = Object.keys(raw)
    .filter((name) => !isConfigVariable(name))
    .map((name) => renamed[name] ?? `${name} is not a known variable (known: ${configVariables.join(', ')})`);
  const values: Record<string, unknown> = { ...raw };
  if (validate(values)) {
    problems.push(...exposureProblems(values), ...redisModeProblems(values), ...rateProblems(values));
    if (problems.length === 0) return deepFreeze(toConfig(values));
  } else {
    for (const error of validate.errors ?? []) {
      const name = error.instancePath.slice(1);
      if (!isConfigVariable(name)) continue;
      problems.push(`${name}="${raw[name]}" is not allowed: expected ${describeAllowed(name)}`);
    }
  }
  throw new ConfigError(problems);
}

/** Settings that are each valid but together would expose what must stay private. */
function exposureProblems(values: ConfigValues): string[] {
  if (isLoopbackHost(values.DAY15_OPS_HOST) || values.DAY15_OPS_TOKEN !== undefined) return [];
  return [
    `DAY15_OPS_HOST="${values.DAY15_OPS_HOST}" is not a loopback address and DAY15_OPS_TOKEN is unset: the ops ` +
      'listener serves revenue numbers, metrics and the dead-letter admin API, so it refuses to listen beyond this ' +
      'machine without a credential. Set DAY15_OPS_TOKEN (16+ characters) or bind DAY15_OPS_HOST to 127.0.0.1',
  ];
}

/** Conversion rates the metrics could not use: unknown currencies, zero rates, a rate for the base itself. */
function rateProblems(v: ConfigValues): string[] {
  return Object.entries(parseRates(v.DAY15_FX_RATES)).flatMap(([code, rate]) => {
    if (!currencyCodes.includes(code)) return [`DAY15_FX_RATES names ${code}, which is not an ISO 4217 currency code`];
    if (code === v.DAY15_BASE_CURRENCY)
      return [`DAY15_FX_RATES gives a rate for ${code}, the base currency (DAY15_BASE_CURRENCY): remove it`];
    if (!(rate > 0)) return [`DAY15_FX_RATES gives ${code} the rate ${rate}: a rate must be above 0`];
    return [];
  });
}

/** Redis settings that are each valid but do not fit the chosen DAY15_REDIS_MODE. */
function redisModeProblems(v: ConfigValues): string[] {
  const problems: string[] = [];
  const mode = v.DAY15_REDIS_MODE;
  const useMock = usesMock(v);
  if (mode !== 'single' && useMock) {
    problems.push(
      `DAY15_REDIS_MODE=${mode} needs real Redis: the in-memory mode (DAY15_USE_MOCK_REDIS=true, or unset) is ` +
        'one process. Set DAY15_USE_MOCK_REDIS=false',
    );
  }
  if (v.DAY15_REDIS_WAIT_REPLICAS > 0 && useMock) {
    problems.push('DAY15_REDIS_WAIT_REPLICAS needs real Redis with replicas: set DAY15_USE_MOCK_REDIS=false');
  }
  if (mode === 'cluster' && v.DAY15_REDIS_CLUSTER_NODES === undefined) {
    problems.push('DAY15_REDIS_MODE=cluster needs DAY15_REDIS_CLUSTER_NODES, e.g. 10.0.0.1:7000,10.0.0.2:7000');
  }
  if (mode === 'sentinel' && (v.DAY15_REDIS_SENTINELS === undefined || v.DAY15_REDIS_SENTINEL_NAME === undefined)) {
    problems.push(
      'DAY15_REDIS_MODE=sentinel needs DAY15_REDIS_SENTINELS (e.g. 10.0.0.1:26379,10.0.0.2:26379) and ' +
        'DAY15_REDIS_SENTINEL_NAME (the name in their `sentinel monitor` line)',
    );
  }
  if (mode !== 'single') {
    if (v.DAY15_REDIS_URL !== undefined)
      problems.push(`DAY15_REDIS_URL is for DAY15_REDIS_MODE=single; unset it with DAY15_REDIS_MODE=${mode}`);
    if (v.DAY15_REDIS_EMBEDDED === 'true')
      problems.push(`DAY15_REDIS_EMBEDDED starts one redis-server; it cannot be used with DAY15_REDIS_MODE=${mode}`);
  }
  if (mode === 'cluster' && v.DAY15_REDIS_DB !== 0) {
    problems.push('Redis Cluster has only database 0: unset DAY15_REDIS_DB with DAY15_REDIS_MODE=cluster');
  }
  if (mode !== 'cluster' && v.DAY15_REDIS_CLUSTER_NODES !== undefined)
    problems.push('DAY15_REDIS_CLUSTER_NODES is set but DAY15_REDIS_MODE is not cluster');
  if (mode !== 'sentinel' && v.DAY15_REDIS_SENTINELS !== undefined)
    problems.push('DAY15_REDIS_SENTINELS is set but DAY15_REDIS_MODE is not sentinel');
  return problems;
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

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
