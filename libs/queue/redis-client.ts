import { Redis, type RedisOptions } from 'ioredis';
import RedisMock from 'ioredis-mock';
import type { RedisSettings } from '../config/index.js';

export interface RedisClientOptions {
  /** Always attached, so a dropped connection is reported instead of crashing the process. */
  onError: (error: Error) => void;
  /** Longest a command may take before it fails; bounds how long a caller hangs when Redis stalls.
   *  750 ms by default, so a receiver answers 503 within a second even when Redis hangs. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

// Safe defaults for a pipeline that must answer quickly when Redis is away; each one says why.
function clientOptions(options: RedisClientOptions): RedisOptions {
  return {
    // Fail commands at once while disconnected instead of queueing them: the receiver answers 503 fast.
    enableOfflineQueue: false,
    // One retry per command at most; callers have their own retry policy (sender retries, consumer loop).
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 750,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // Keep reconnecting forever, backing off to 1 s, so the process recovers by itself when Redis returns.
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: true,
    // Concurrent requests' commands leave in one write: fewer syscalls and round trips under load.
    enableAutoPipelining: true,
  };
}

/** Connects to Redis (or creates the in-process ioredis-mock) and resolves once commands can be sent. */
export async function connectRedis(settings: RedisSettings, options: RedisClientOptions): Promise<Redis> {
  if (settings.useMock) return new RedisMock();
  const base = clientOptions(options);
  const client = settings.url
    ? new Redis(settings.url, base)
    : new Redis({
        ...base,
        host: settings.host,
        port: settings.port,
        password: settings.password || undefined,
        db: settings.db,
      });
  client.on('error', options.onError);
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis at ${describeRedis(settings)} is unreachable`, { cause: error });
  }
}

/** Where Redis is, for logs and errors, without the password. */
export function describeRedis(settings: RedisSettings): string {
  if (settings.useMock) return 'in-process memory (ioredis-mock)';
  if (settings.url) return settings.url.replace(/\/\/[^@/]*@/, '//');
  return `${settings.host}:${settings.port}/${settings.db}`;
}
