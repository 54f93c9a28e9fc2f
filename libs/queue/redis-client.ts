import { Cluster, Redis, type RedisOptions } from 'ioredis';
import RedisMock from 'ioredis-mock';
import type { RedisSettings } from '../config/index.js';

/**
 * The one client type the queue, the analytics and the processes use: a single Redis (also the primary a
 * Sentinel names, followed across failovers) or a Redis Cluster. Every key of a queue shares one hash tag,
 * so every script and pipeline lands on one node either way.
 */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** Always attached, so a dropped connection is reported instead of crashing the process. */
  onError: (error: Error) => void;
  /** Longest a command may take before it fails; bounds how long a caller hangs when Redis stalls.
   *  750 ms by default, so a receiver answers 503 within a second even when Redis hangs. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

// Keep reconnecting forever, backing off to 1 s, so the process recovers by itself when Redis returns.
const reconnectDelayMs = (times: number): number => Math.min(50 * times, 1000);

// Safe defaults for a pipeline that must answer quickly when Redis is away; each one says why.
function clientOptions(options: RedisClientOptions): RedisOptions {
  return {
    // Fail commands at once while disconnected instead of queueing them: the receiver answers 503 fast.
    enableOfflineQueue: false,
    // One retry per command at most; callers have their own retry policy (sender retries, consumer loop).
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 750,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: reconnectDelayMs,
    lazyConnect: true,
    // Concurrent requests' commands leave in one write: fewer syscalls and round trips under load.
    enableAutoPipelining: true,
  };
}

/** What to do when Redis is unreachable: the one hint every process and the orchestrator give, per mode. */
export function redisUnreachableHint(settings: RedisSettings): string {
  switch (settings.mode) {
    case 'cluster':
      return 'check DAY15_REDIS_CLUSTER_NODES (any reachable node of the cluster will do) and that the cluster is up (redis-cli -c cluster info)';
    case 'sentinel':
      return 'check DAY15_REDIS_SENTINELS and DAY15_REDIS_SENTINEL_NAME (the name in the Sentinels\' "sentinel monitor" line)';
    case 'single':
      return 'start Redis (redis-server), set DAY15_REDIS_EMBEDDED=true, or set DAY15_USE_MOCK_REDIS=true for the in-memory mode';
  }
}

// ioredis's words for a misconfiguration, turned into what the operator should check.
function unreachableReason(settings: RedisSettings, error: string): string {
  if (/No such master with that name/.test(error))
    return `the Sentinels answer but monitor no primary named "${settings.sentinelName}"`;
  // Also what ioredis reports when the seeds are Redis servers without cluster mode.
  if (/Failed to refresh slots cache/.test(error)) return 'no seed answered as a node of a Redis Cluster';
  return error;
}

function newClient(settings: RedisSettings, options: RedisClientOptions): RedisClient {
  const base = clientOptions(options);
  const password = settings.password || undefined;
  switch (settings.mode) {
    case 'cluster': {
      // Cluster-wide options go to the Cluster; the rest applies to each node's connection.
      const { retryStrategy, enableOfflineQueue, lazyConnect, enableAutoPipelining, ...node } = base;
      return new Cluster(settings.clusterNodes as { host: string; port: number }[], {
        redisOptions: { ...node, password },
        clusterNodeRetryStrategy: retryStrategy,
        clusterRetryStrategy: reconnectDelayMs,
        enableOfflineQueue,
        lazyConnect,
        enableAutoPipelining,
        // A failover moves slots: wait a little before retrying a MOVED/CLUSTERDOWN, then fail (503, sender retries).
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
      });
    }
    case 'sentinel':
      return new Redis({
        ...base,
        sentinels: settings.sentinels as { host: string; port: number }[],
        name: settings.sentinelName,
        password,
        db: settings.db,
        sentinelRetryStrategy: reconnectDelayMs,
      });
    case 'single':
      return settings.url
        ? new Redis(settings.url, base)
        : new Redis({ ...base, host: settings.host, port: settings.port, password, db: settings.db });
  }
}

/** Connects to Redis (or creates the in-process ioredis-mock) and resolves once commands can be sent. */
export async function connectRedis(settings: RedisSettings, options: RedisClientOptions): Promise<RedisClient> {
  if (settings.useMock) return new RedisMock();
  const client = newClient(settings, options);
  client.on('error', options.onError);
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis at ${describeRedis(settings)} is unreachable`, { cause: error });
  }
}

export interface OpenRedisOptions extends RedisClientOptions {
  /**
   * Told every `warnEveryMs` while Redis has not answered yet since the start, with a message naming its
   * address and the hint. Connection errors before that first answer go here instead of to `onError`.
   */
  onWaiting: (message: string) => void;
  /** 5 s by default. */
  warnEveryMs?: number;
}

/** A client that may not be connected yet, and when it first is. */
export interface OpenedRedis {
  redis: RedisClient;
  /** Resolves once Redis first answers (at once in mock mode); never rejects, stays pending if closed first. */
  ready: Promise<void>;
}

/**
 * A Redis client without waiting for Redis: connecting (and reconnecting with the retry strategy) goes on in
 * the background until Redis answers, so a process can start before Redis does. Meanwhile commands fail at
 * once (no offline queue): the receiver answers 503, the consumer backs off. `onWaiting` is told every
 * `warnEveryMs` until the first connection.
 */
export function openRedis(settings: RedisSettings, options: OpenRedisOptions): OpenedRedis {
  if (settings.useMock) return { redis: new RedisMock(), ready: Promise.resolve() };
  const client = newClient(settings, options);
  let connected = false;
  let lastError = '';
  client.on('error', (error: Error) => {
    if (connected) options.onError(error);
    else lastError = error.message;
  });
  const ready = new Promise<void>((resolve) => {
    const warn = () =>
      options.onWaiting(
        `Redis at ${describeRedis(settings)} is unreachable${lastError ? ` (${unreachableReason(settings, lastError)})` : ''}; ` +
          `waiting for it. Hint: ${redisUnreachableHint(settings)}`,
      );
    const timer = setInterval(warn, options.warnEveryMs ?? 5000);
    timer.unref();
    client.once('ready', () => {
      connected = true;
      clearInterval(timer);
      resolve();
    });
    // Closed on purpose (quit/disconnect) before Redis ever answered: stop warning; `ready` stays pending.
    client.once('end', () => clearInterval(timer));
  });
  // A failed first attempt rejects, but the client keeps reconnecting (retryStrategy) until it succeeds.
  client.connect().catch(() => undefined);
  return { redis: client, ready };
}

/** Where Redis is, for logs and errors, without the password. */
export function describeRedis(settings: RedisSettings): string {
  if (settings.useMock) return 'in-process memory (ioredis-mock)';
  const addresses = (list: readonly { host: string; port: number }[]) =>
    list.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',');
  if (settings.mode === 'cluster') return `the Redis Cluster of ${addresses(settings.clusterNodes)}`;
  if (settings.mode === 'sentinel')
    return `the primary "${settings.sentinelName}" of the Sentinels ${addresses(settings.sentinels)}`;
  if (settings.url) return settings.url.replace(/\/\/[^@/]*@/, '//');
  return `${settings.host}:${settings.port}/${settings.db}`;
}
