import { Redis } from 'ioredis';
import { readMetrics } from '../../libs/analytics/index.js';
import type { RedisClient } from '../../libs/queue/index.js';
import { waitForDrained } from '../../tools/wait.js';
import { testQueue } from '../support/backends.js';
import type { Sender } from './load-sender.js';

export interface Accounting {
  sent: number;
  accepted: number;
  processed: number;
  inFlight: number;
  delayed: number;
  dead: number;
  /** Accepted events found nowhere: neither processed nor still in the queue. Must be 0. */
  lost: number;
  /** Effects applied more than once (analytics above what the processed events imply). Must be 0. */
  doubleCounted: number;
}

// The accounting every chaos scenario ends with. The load sends usage events of quantity 1, so the
// analytics must show exactly one unit per processed event; each accepted id must be either processed
// (its record is gone, which only an ack does) or in exactly one of ready / in flight / delayed / dead.
export async function account(
  redis: RedisClient,
  prefix: string,
  sent: number,
  acceptedIds: readonly string[],
): Promise<Accounting> {
  const queue = testQueue(redis, { prefix });
  const perPartition = await Promise.all(
    queue.partitions.map(async ({ keys }) => {
      const [ready, inFlight, delayed, dead] = await Promise.all([
        redis.lrange(keys.ready, 0, -1),
        redis.zrange(keys.inFlight, 0, -1),
        redis.zrange(keys.delayed, 0, -1),
        redis.zrange(keys.dead, 0, -1),
      ]);
      const pipeline = redis.pipeline();
      for (const id of acceptedIds) pipeline.exists(keys.event(id));
      const exists = ((await pipeline.exec()) ?? []).map(([, value]) => Number(value) === 1);
      return { listed: [...ready, ...inFlight, ...delayed, ...dead], inFlight, delayed, dead, exists };
    }),
  );
  const inFlight = perPartition.flatMap((partition) => partition.inFlight);
  const delayed = perPartition.flatMap((partition) => partition.delayed);
  const dead = perPartition.flatMap((partition) => partition.dead);
  const places = new Map<string, number>();
  for (const id of perPartition.flatMap((partition) => partition.listed)) places.set(id, (places.get(id) ?? 0) + 1);
  // An event's record is in at most one partition (the enqueue placed it there); none once it is acked.
  const exists = acceptedIds.map((_, i) => perPartition.some((partition) => partition.exists[i]));
  let lost = 0;
  let processedIds = 0;
  acceptedIds.forEach((id, i) => {
    if (!exists[i]) processedIds += 1;
    else if (places.get(id) !== 1) lost += 1;
  });
  const metrics = await readMetrics(queue);
  const units = Object.values(metrics.usage.by_feature).reduce((sum, feature) => sum + feature.quantity, 0);
  const processed = metrics.totals.processed;
  return {
    sent,
    accepted: acceptedIds.length,
    processed,
    inFlight: inFlight.length,
    delayed: delayed.length,
    dead: dead.length,
    lost: lost + Math.max(0, processedIds - processed),
    doubleCounted: Math.max(0, units - processed) + Math.max(0, processed - processedIds),
  };
}

export function printAccounting(scenario: string, a: Accounting): void {
  process.stdout.write(
    `[chaos] ${scenario}: sent ${a.sent} / accepted ${a.accepted} / processed ${a.processed} / in flight ${a.inFlight} / ` +
      `delayed ${a.delayed} / dead ${a.dead} / lost ${a.lost} / double-counted ${a.doubleCounted}\n`,
  );
}

// Stops the sender, waits until the pipeline has nothing ready, in flight or delayed, then accounts for
// every accepted event and prints the result under the scenario's name. `redisUrlOrClient` is a URL (a
// client is opened and closed here), or a client of a cluster or Sentinel setup that the caller closes.
export async function drainAndAccount(
  redisUrlOrClient: string | RedisClient,
  prefix: string,
  sender: Sender,
  scenario: string,
): Promise<Accounting> {
  await sender.stop();
  const redis = typeof redisUrlOrClient === 'string' ? new Redis(redisUrlOrClient) : redisUrlOrClient;
  try {
    await waitForDrained(testQueue(redis, { prefix }));
    const result = await account(redis, prefix, sender.sent(), [...sender.accepted]);
    printAccounting(scenario, result);
    return result;
  } finally {
    if (typeof redisUrlOrClient === 'string') redis.disconnect();
  }
}
