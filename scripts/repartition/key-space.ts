import { Cluster } from 'ioredis';
import { configSchema } from '../../libs/config/index.js';
import { partitionNames, type RedisClient } from '../../libs/queue/index.js';

// Finding, writing and deleting a queue's keys on a single Redis and on a Redis Cluster alike: SCAN runs on
// every primary, and each pipeline and multi-key command holds the keys of one partition, which share a hash
// tag and so a slot.

/** Commands per pipeline: bounds the memory of one round trip without making thousands of them. */
const chunkSize = 500;

/** One write of a copy; `ttlMs` is a PTTL (-1: no expiry). */
export type Write =
  | { op: 'set'; key: string; value: string; ttlMs: number }
  | { op: 'hset'; key: string; fields: Record<string, string> }
  | { op: 'zadd'; key: string; scored: string[] }
  | { op: 'pexpire'; key: string; ttlMs: number };

/**
 * Every key of every layout of the queue `name`, by partition name: `events` for one partition, `events-3p0`
 * ... for three. Keys of other queues whose names merely start alike are left out. `within` narrows the scan
 * to the names after a partition's key base that match it (a SCAN MATCH pattern), e.g. the analytics only.
 */
export async function keysByPartition(
  redis: RedisClient,
  prefix: string,
  name: string,
  within = '*',
): Promise<Map<string, string[]>> {
  const keys = [
    ...(await scanKeys(redis, `${prefix}:{${name}}:${within}`)),
    ...(await scanKeys(redis, `${prefix}:{${name}-*}:${within}`)),
  ];
  const partitionOf = (key: string): string => key.slice(prefix.length + 2, key.indexOf('}:', prefix.length));
  return groupBy(
    keys.filter((key) => isPartitionOf(partitionOf(key), name)),
    partitionOf,
  );
}

// Whether `partition` is the name of a partition of some layout of the queue `name` (partitionNames), of at
// most as many partitions as DAY15_PARTITIONS allows.
function isPartitionOf(partition: string, name: string): boolean {
  if (partition === name) return true;
  const n = Number(/^(\d+)p\d+$/.exec(partition.slice(name.length + 1))?.[1]);
  return n > 1 && n <= configSchema.properties.DAY15_PARTITIONS.maximum && partitionNames(name, n).includes(partition);
}

/** Every key matching `pattern`: SCAN on each primary of a cluster (a node only scans its own slots). */
async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const found = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) found.add(key);
    } while (cursor !== '0');
  }
  return [...found];
}

/** Deletes `keys`, a pipeline per hash tag; resolves with how many existed. */
export async function deleteKeys(redis: RedisClient, keys: readonly string[]): Promise<number> {
  const replies = await inPipelines(redis, keys, { keyOf: (key) => key, add: (pipeline, key) => pipeline.del(key) });
  return replies.reduce((sum, [deleted]) => sum + Number(deleted), 0);
}

/** Applies `writes`, a pipeline per hash tag; fails on the first command Redis refused. */
export async function applyWrites(redis: RedisClient, writes: readonly Write[]): Promise<void> {
  await inPipelines(redis, writes, { keyOf: (write) => write.key, add: queueWrite });
}

function queueWrite(pipeline: Pipeline, write: Write): void {
  switch (write.op) {
    case 'set':
      if (write.ttlMs > 0) pipeline.set(write.key, write.value, 'PX', write.ttlMs);
      else pipeline.set(write.key, write.value);
      return;
    case 'hset':
      pipeline.hset(write.key, write.fields);
      return;
    case 'zadd':
      pipeline.zadd(write.key, ...write.scored);
      return;
    case 'pexpire':
      pipeline.pexpire(write.key, write.ttlMs);
      return;
  }
}

export type Pipeline = ReturnType<RedisClient['pipeline']>;

/**
 * Sends `perItem` commands per item (`add` queues them), in pipelines that each hold the items of one hash
 * tag, and resolves with each item's replies, in the order of `items`; fails on the first error Redis answers.
 */
export async function inPipelines<T>(
  redis: RedisClient,
  items: readonly T[],
  {
    keyOf,
    add,
    perItem = 1,
  }: { keyOf: (item: T) => string; add: (pipeline: Pipeline, item: T) => void; perItem?: number },
): Promise<unknown[][]> {
  const replies: unknown[][] = new Array<unknown[]>(items.length);
  for (const positions of groupBy(items.keys(), (position) => hashTag(keyOf(items[position] as T))).values()) {
    for (let start = 0; start < positions.length; start += chunkSize) {
      const chunk = positions.slice(start, start + chunkSize);
      const pipeline = redis.pipeline();
      for (const position of chunk) add(pipeline, items[position] as T);
      const results = (await pipeline.exec()) ?? [];
      chunk.forEach((position, j) => {
        const own = results.slice(j * perItem, (j + 1) * perItem);
        const failed = own.find(([error]) => error);
        if (failed) throw new Error(`Redis refused a command on ${keyOf(items[position] as T)}`, { cause: failed[0] });
        replies[position] = own.map(([, reply]) => reply);
      });
    }
  }
  return replies;
}

/** `values` grouped by `groupOf`, each group in the order of `values`. */
export function groupBy<T, G>(values: Iterable<T>, groupOf: (value: T) => G): Map<G, T[]> {
  const groups = new Map<G, T[]>();
  for (const value of values) {
    const group = groupOf(value);
    const members = groups.get(group);
    if (members) members.push(value);
    else groups.set(group, [value]);
  }
  return groups;
}

// The hash tag of a key: the text between its first { and the next }, as Redis Cluster hashes it.
const hashTag = (key: string): string => /\{([^}]+)\}/.exec(key)?.[1] ?? key;
