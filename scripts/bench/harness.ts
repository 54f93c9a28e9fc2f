import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { placementKey } from '../../libs/analytics/index.js';
import { parseHostPorts } from '../../libs/config/index.js';
import { PartitionedQueue, type RedisClient } from '../../libs/queue/index.js';
import { freePort } from '../../tools/free-port.js';
import type { RedisCluster } from '../../tools/redis-cluster.js';
import type { RedisServer } from '../../tools/redis-server.js';
import { waitUntil } from '../../tools/wait.js';
import { startBenchProcess, type BenchProcess } from './bench-processes.js';
import { benchEvent, errorNote, type LoadResult } from './load.js';
import type { Row } from './report.js';

// What the benchmark's sections share: the processes' environment, receivers, the benchmark's own queue
// handle and client, the prefill, and the formatting of rows.

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Polls every 50 ms (not the default 25) so the measurement itself adds little load to Redis. */
export const drainPollMs = 50;

/** A private redis-server, or a private Redis Cluster (reached through its seeds). */
export type RedisTarget = RedisServer | RedisCluster;

function targetEnv(target: RedisTarget): Record<string, string> {
  return 'seeds' in target
    ? { DAY15_REDIS_MODE: 'cluster', DAY15_REDIS_CLUSTER_NODES: target.seeds }
    : { DAY15_REDIS_URL: target.url };
}

// With Redis the archive is on by default, in data/archive: a consumer the benchmark starts archives here
// instead, so the figures include the default archive but no run leaves its events in the project.
const archiveRoot = join(tmpdir(), `day15-bench-archive-${process.pid}`);

/** The archive folder of the consumers started on a key prefix (under the system's temp folder). */
export const benchArchiveDir = (prefix: string): string => join(archiveRoot, prefix);

/** Deletes every archive folder of this run. */
export async function removeBenchArchives(): Promise<void> {
  await rm(archiveRoot, { recursive: true, force: true });
}

export function appEnv(
  target: RedisTarget,
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DAY15_USE_MOCK_REDIS: 'false',
    ...targetEnv(target),
    DAY15_KEY_PREFIX: prefix,
    DAY15_ARCHIVE_DIR: benchArchiveDir(prefix),
    DAY15_WEBHOOK_HOST: '127.0.0.1',
    // Receivers measured side by side must not contend for the fixed ops port; the benchmark never uses it.
    DAY15_OPS_PORT: '0',
    ...extra,
  };
}

export async function receiverOn(
  target: RedisTarget,
  name: string,
  prefix: string,
  extra: Record<string, string> = {},
): Promise<{ process: BenchProcess; url: string }> {
  const port = await freePort();
  const process_ = await startBenchProcess(
    name,
    'apps/receiver/main.ts',
    [],
    appEnv(target, prefix, { DAY15_WEBHOOK_PORT: String(port), ...extra }),
    /Receiver listening/,
  );
  const url = `http://127.0.0.1:${port}`;
  // It listens before its first Redis connection is up (and answers 503 until then): measure from ready on.
  await waitUntil(
    async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
    30_000,
    `${name} ready`,
  );
  return { process: process_, url };
}

export function ingestRow(what: string, r: LoadResult, extra = ''): Row {
  return {
    what,
    figure: `${fmt(r.eventsPerSecond)} events/s`,
    detail: `p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms${errorNote(r)}${extra}`,
  };
}

/** The benchmark's own client: a Redis, or a Cluster that never reconnects once its nodes are gone. */
export interface BenchClient {
  readonly redis: RedisClient;
  /** FLUSHALL on the server, or on every primary of the cluster (their replicas follow). */
  flush(): Promise<void>;
  close(): void;
}

export function benchClient(target: RedisTarget): BenchClient {
  if (!('seeds' in target)) {
    const redis = new Redis(target.url);
    return {
      redis,
      flush: async () => {
        await redis.flushall();
      },
      close: () => redis.disconnect(),
    };
  }
  const cluster = new Cluster(parseHostPorts(target.seeds), { clusterRetryStrategy: () => null });
  return {
    redis: cluster,
    flush: async () => {
      await Promise.all(cluster.nodes('master').map((node) => node.flushall()));
    },
    close: () => {
      // Errors while it closes (a node already stopped) are expected; nothing may keep the process alive.
      cluster.on('error', () => undefined);
      cluster.disconnect();
    },
  };
}

// The benchmark's queue handle on a prefix (stats, prefill, metrics); the processes it measures have their own.
export function benchQueue(client: RedisClient, prefix: string, partitions = 1): PartitionedQueue {
  return new PartitionedQueue({
    redis: client,
    prefix,
    partitions,
    idempotencyTtlMs: 3_600_000,
    maxAttempts: 3,
    retryDelayMs: 1000,
  });
}

/**
 * Fills the queue with `count` realistic events, placed as the receiver places them (placementKey, the
 * user id), 1000 per enqueue; returns how many went to each partition.
 */
export async function prefill(queue: PartitionedQueue, count: number): Promise<number[]> {
  const receivedAt = new Date().toISOString();
  for (let offset = 0; offset < count; offset += 1000) {
    await queue.enqueue(
      Array.from({ length: Math.min(1000, count - offset) }, () => {
        const event = { ...benchEvent(), received_at: receivedAt };
        return {
          id: event.event_id,
          label: event.event_type,
          body: JSON.stringify(event),
          placementKey: placementKey(event),
        };
      }),
    );
  }
  return Promise.all(queue.partitions.map(async (partition) => (await partition.stats()).ready));
}

/** CPU time of this machine as a whole (all cores), from /proc/stat, in clock ticks. */
export function machineTicks(): { busy: number; iowait: number; total: number } {
  const [, ...fields] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const ticks = fields.map(Number);
  const total = ticks.reduce((sum, t) => sum + (Number.isFinite(t) ? t : 0), 0);
  // idle + iowait are the time no process ran; guest time is already counted in user.
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const guest = (ticks[8] ?? 0) + (ticks[9] ?? 0);
  return { busy: total - guest - idle, iowait: ticks[4] ?? 0, total: total - guest };
}

/**
 * Waits (up to `timeoutMs`) until the machine is nearly idle over `windowMs` (at most `maxBusy` of its CPU
 * time busy), so what the previous run left behind (an AOF rewrite, writeback of its files) is not
 * measured with the next one; resolves with whether it got quiet.
 */
async function waitForQuiet({ maxBusy = 0.15, windowMs = 500, timeoutMs = 30_000 } = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let before = machineTicks();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = machineTicks();
    if ((now.busy - before.busy) / Math.max(1, now.total - before.total) <= maxBusy) return true;
    before = now;
  }
  return false;
}

// Before each measured run: let what the previous one left behind (AOF rewrites, writeback) finish.
export async function settle(): Promise<void> {
  if (!(await waitForQuiet())) say('  (the machine did not get quiet within 30 s; measuring anyway)');
}
