import { Redis } from 'ioredis';
import { effectsFor } from '../../libs/analytics/index.js';
import { validateEvent } from '../../libs/events/index.js';
import { startRedisServer } from '../../tools/redis-server.js';
import { benchQueue, fmt, prefill } from './harness.js';
import type { Row } from './report.js';

/** Redis memory per event, from INFO memory deltas on a private redis-server, with what one event's keys take. */
export interface RedisBytes {
  events: number;
  /** used_memory per event while the events wait: event hash, idempotency key, ready-list entry. */
  queued: number;
  /** used_memory per event once processed: the idempotency key with its outcome, and the analytics. */
  retained: number;
  /** MEMORY USAGE of one event's keys (excluding the expiry entry and the keyspace's own tables). */
  sample: { eventHash: number; seenQueued: number; seenProcessed: number };
}

const consumerId = 'bench-12345-abcdef';

/**
 * Prefills `count` of the benchmark's events, then processes them as a consumer does (claim, the analytics
 * rules, the ack with the archive lines; the outbox is then emptied, as the consumer's shipper does once the
 * lines are on disk). Measures used_memory before, while queued and after.
 */
export async function measureRedisBytes(count: number): Promise<RedisBytes> {
  const server = await startRedisServer();
  const client = new Redis(server.url);
  try {
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
    const queue = benchQueue(client, 'bytes');
    const { keys } = queue.home;
    const before = await used();
    await prefill(queue, count);
    const queued = await used();
    const [firstId] = await client.lrange(keys.ready, 0, 0);
    const eventHash = Number(await client.memory('USAGE', keys.event(firstId ?? '')));
    const seenQueued = Number(await client.memory('USAGE', keys.seen(firstId ?? '')));
    for (;;) {
      const claims = await queue.claim(consumerId, 500, 600_000);
      if (claims.length === 0) break;
      const now = Date.now();
      const items = claims.map((claim) => {
        const verdict = validateEvent(JSON.parse(claim.body));
        if (!verdict.ok) throw new Error(`bench event ${claim.id} does not validate`);
        return { claim, effects: effectsFor(verdict.event, { now }) };
      });
      await queue.finish(consumerId, items, { processedAt: now });
    }
    await client.del(keys.outbox);
    const retained = await used();
    return {
      events: count,
      queued: (queued - before) / count,
      retained: (retained - before) / count,
      sample: {
        eventHash,
        seenQueued,
        seenProcessed: Number(await client.memory('USAGE', keys.seen(firstId ?? ''))),
      },
    };
  } finally {
    client.disconnect();
    await server.stop();
  }
}

/** The report's rows: bytes per queued and per retained event, with what one event's keys take. */
export function redisBytesRows(bytes: RedisBytes): Row[] {
  return [
    {
      what: 'Redis bytes per queued event',
      figure: `${fmt(bytes.queued)} bytes`,
      detail:
        `used_memory over ${fmt(bytes.events)} prefilled events; the event hash takes ${fmt(bytes.sample.eventHash)} ` +
        `(MEMORY USAGE), its idempotency key ${fmt(bytes.sample.seenQueued)}`,
    },
    {
      what: 'Redis bytes per retained event',
      figure: `${fmt(bytes.retained)} bytes`,
      detail:
        `once processed (kept for DAY15_IDEMPOTENCY_TTL_HOURS): the idempotency key with its outcome takes ` +
        `${fmt(bytes.sample.seenProcessed)}, plus the analytics the events share`,
    },
  ];
}
