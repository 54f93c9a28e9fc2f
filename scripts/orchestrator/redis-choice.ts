import type { RedisSettings } from '../../libs/config/index.js';

/** What the orchestrator finds out about this machine; each is asked only when the choice depends on it. */
export interface RedisProbes {
  /** Whether `redis-server` runs from PATH. */
  redisServerOnPath(): boolean;
  /** Whether 127.0.0.1:port can be bound, so an embedded redis-server can listen there. */
  localPortFree(port: number): Promise<boolean>;
}

/**
 * What `npm run orchestrate` runs on: the in-memory mode, a private redis-server it starts, or the Redis the
 * settings name; `why` says, for the banner, what decided it and how to get another. `refused`: settings
 * asking for an embedded server that cannot run.
 */
export type RedisChoice =
  { kind: 'memory' | 'embedded' | 'external'; why: string } | { kind: 'refused'; problem: string; hint: string };

/**
 * Resolves DAY15_REDIS_EMBEDDED (`auto` included; the rule is documented in its schema entry):
 * - DAY15_USE_MOCK_REDIS=true: the in-memory mode.
 * - DAY15_USE_MOCK_REDIS=false: an embedded redis-server with DAY15_REDIS_EMBEDDED=true (refused when it
 *   cannot run), else the Redis the settings name.
 * - DAY15_USE_MOCK_REDIS unset: an embedded redis-server with `auto` when no DAY15_REDIS_URL names a Redis,
 *   redis-server is on PATH and 127.0.0.1:DAY15_REDIS_PORT is free; else the in-memory mode (what unset means).
 */
export async function chooseRedis(redis: RedisSettings, probes: RedisProbes): Promise<RedisChoice> {
  if (redis.useMockExplicit) {
    if (redis.useMock)
      return {
        kind: 'memory',
        why: 'DAY15_USE_MOCK_REDIS=true; unset it for an embedded redis-server (when one is installed), or set it to false for your Redis',
      };
    if (redis.embedded === true) return embeddedAsAsked(redis, probes);
    return {
      kind: 'external',
      why: 'DAY15_USE_MOCK_REDIS=false; add DAY15_REDIS_EMBEDDED=true for a private redis-server, or set DAY15_USE_MOCK_REDIS=true for the in-memory mode',
    };
  }
  if (redis.embedded !== 'auto')
    return {
      kind: 'memory',
      why: `DAY15_USE_MOCK_REDIS is unset and DAY15_REDIS_EMBEDDED=${redis.embedded} (not auto); set DAY15_USE_MOCK_REDIS=false for Redis`,
    };
  if (redis.url)
    return {
      kind: 'memory',
      why: 'DAY15_REDIS_URL is set but DAY15_USE_MOCK_REDIS is not; set DAY15_USE_MOCK_REDIS=false to use that Redis',
    };
  if (!probes.redisServerOnPath())
    return {
      kind: 'memory',
      why: 'redis-server not found on PATH; install it (apt-get install -y redis-server) for a durable, faster pipeline, or set DAY15_USE_MOCK_REDIS=false with DAY15_REDIS_HOST/PORT for your Redis',
    };
  // Typically the machine's own Redis on 6379: never start a second one on its port, nor use it unasked.
  if (!(await probes.localPortFree(redis.port)))
    return {
      kind: 'memory',
      why: `redis-server is installed but 127.0.0.1:${redis.port} is taken (another Redis?); set DAY15_REDIS_PORT to a free port for an embedded one, or DAY15_USE_MOCK_REDIS=false to use what listens on ${redis.port}`,
    };
  return {
    kind: 'embedded',
    why: 'redis-server found on PATH (DAY15_REDIS_EMBEDDED=auto); set DAY15_USE_MOCK_REDIS=true for the in-memory mode',
  };
}

// DAY15_USE_MOCK_REDIS=false with DAY15_REDIS_EMBEDDED=true: the embedded server, or why it cannot run.
async function embeddedAsAsked(redis: RedisSettings, probes: RedisProbes): Promise<RedisChoice> {
  if (redis.url)
    return {
      kind: 'refused',
      problem: 'DAY15_REDIS_EMBEDDED=true cannot be used with DAY15_REDIS_URL',
      hint: 'unset DAY15_REDIS_URL; the embedded server listens on 127.0.0.1:DAY15_REDIS_PORT',
    };
  if (!probes.redisServerOnPath())
    return {
      kind: 'refused',
      problem: 'DAY15_REDIS_EMBEDDED=true but redis-server is not installed',
      hint: 'install it (apt-get install -y redis-server) or set DAY15_REDIS_EMBEDDED=false',
    };
  // Said here rather than by a redis-server crash-looping while the apps use whatever holds its port.
  if (!(await probes.localPortFree(redis.port)))
    return {
      kind: 'refused',
      problem: `DAY15_REDIS_EMBEDDED=true but 127.0.0.1:${redis.port} is taken (address already in use)`,
      hint: `set DAY15_REDIS_PORT to a free port, or stop what listens on ${redis.port} (lsof -i :${redis.port})`,
    };
  return { kind: 'embedded', why: 'DAY15_REDIS_EMBEDDED=true; set DAY15_USE_MOCK_REDIS=true for the in-memory mode' };
}

/**
 * The settings that carry a choice to the children (which load the config themselves and resolve nothing):
 * the mode, and for an embedded server the address it listens on.
 */
export function choiceEnv(kind: Exclude<RedisChoice['kind'], 'refused'>): Record<string, string> {
  if (kind === 'memory') return { DAY15_USE_MOCK_REDIS: 'true', DAY15_REDIS_EMBEDDED: 'false' };
  if (kind === 'external') return { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_EMBEDDED: 'false' };
  return { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_EMBEDDED: 'true', DAY15_REDIS_HOST: '127.0.0.1' };
}
