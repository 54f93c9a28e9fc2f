import { expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { effectsFor } from '../../libs/analytics/index.js';
import type { Day15Event } from '../../libs/events/index.js';
import { waitUntil } from '../../tools/wait.js';
import { testQueue, uniquePrefix, withRealRedis } from '../support/backends.js';
import { account, printAccounting } from './accounting.js';

withRealRedis('chaos: the connection drops after an ack script ran (real redis-server)', (backend) => {
  it('6. the retried ack after a lost reply is refused as already done, and the effects stay applied once', async () => {
    const redis = backend.redis;
    const prefix = uniquePrefix('chaos6');
    const ids = Array.from({ length: 50 }, (_, i) => `evt_ack_${i}`);
    const setup = testQueue(redis, { prefix });
    const now = new Date().toISOString();
    await setup.enqueue(
      ids.map((id) => ({
        id,
        label: 'usage_tracked',
        body: JSON.stringify({
          event_id: id,
          event_type: 'usage_tracked',
          timestamp: now,
          received_at: now,
          metadata: { feature: 'api_calls', quantity: 1 },
        }),
      })),
    );

    // The consumer's connection: the ack is sent, then the connection is cut before the reply is read.
    const doomed = new Redis(process.env.REDIS_TEST_URL ?? '', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    doomed.on('error', () => undefined);
    const doomedClientId = String(await doomed.client('ID'));
    const queue = testQueue(doomed, { prefix });
    const claims = await queue.claim('consumer-a', 50, 30_000);
    const items = claims.map((claim) => ({
      claim,
      effects: effectsFor(JSON.parse(claim.body) as Day15Event, { now: Date.now() }),
    }));
    const lostReply = queue.ack('consumer-a', items).then(
      () => 'answered',
      () => 'no reply',
    );
    doomed.stream.destroy();
    const firstOutcome = await lostReply;
    // Redis drops a connection only after it has run every command that arrived on it, so once the doomed
    // connection is gone from CLIENT LIST the first ack has run (or never will): no sleep guessing "by now".
    const doomedStillConnected = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .some((line) => line.startsWith(`id=${doomedClientId} `));
    await waitUntil(
      async () => !(await doomedStillConnected()),
      60_000,
      `Redis to finish with the cut connection (client id ${doomedClientId})`,
    );
    const appliedBefore = (await setup.stats()).counters.acked;
    expect([0, 50]).toContain(appliedBefore);

    // The consumer reconnects and retries the same ack.
    const retry = testQueue(redis, { prefix });
    const verdicts = await retry.ack('consumer-a', items);
    const applied = (await retry.stats()).counters.acked;
    // The first ack ran although its reply was lost: the retry is refused as already done. (Had the first
    // ack never reached Redis, the retry would apply it.) Either way the effects are applied exactly once.
    expect(appliedBefore === 50 ? verdicts.every((v) => v === 'lost') : verdicts.every((v) => v === 'acked')).toBe(
      true,
    );
    expect(applied).toBe(50);
    const result = await account(redis, prefix, ids.length, ids);
    printAccounting(`lost ack reply (first attempt: ${firstOutcome})`, result);
    expect(result).toMatchObject({ accepted: 50, processed: 50, lost: 0, doubleCounted: 0 });
  });
});
