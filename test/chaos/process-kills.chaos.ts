import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ReliableQueue } from '../../libs/queue/index.js';
import { killAppProcesses, startAppProcess } from '../support/app-process.js';
import { sleep, uniquePrefix, waitUntil } from '../support/backends.js';
import { account, drainAndAccount, printAccounting } from './accounting.js';
import { startSending } from './load-sender.js';
import { pipelineEnv, startConsumer, startReceiver } from './pipeline-processes.js';

describe('chaos: processes killed under load (real processes, private redis-server)', () => {
  const redisUrl = process.env.REDIS_TEST_URL ?? '';
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(process.env.REDIS_TEST_URL ?? '');
  });
  afterEach(killAppProcesses);
  afterAll(() => redis.disconnect());

  const queueOf = (prefix: string) => new ReliableQueue({ redis, prefix, idempotencyTtlMs: 3_600_000, maxAttempts: 3, retryDelayMs: 50 });
  const drained = (queue: ReliableQueue) => waitUntil(async () => {
    const stats = await queue.stats();
    return stats.ready + stats.inFlight + stats.delayed === 0;
  }, 60_000);

  it('1. kill -9 of consumers mid-batch, repeatedly: nothing lost, nothing counted twice', async () => {
    const prefix = uniquePrefix('chaos1');
    // Every lease that expires counts as an attempt (so an event that kills every consumer ends in the dead
    // letters); three kills could hit the same recovered event three times, so allow more attempts here.
    const env = pipelineEnv(process.env.REDIS_TEST_URL ?? '', prefix, { DAY15_BATCH_SIZE: '50', DAY15_MAX_RETRIES: '10' });
    const queue = queueOf(prefix);
    const { url } = await startReceiver(env);
    let consumer = await startConsumer(env);
    const sender = startSending(url);
    // Three kills that really land mid-batch: a kill that lands between two batches does not count.
    let midBatchKills = 0;
    for (let tries = 0; midBatchKills < 3 && tries < 20; tries += 1) {
      await waitUntil(async () => (await queue.stats()).inFlight > 0, 20_000);
      consumer.child.kill('SIGKILL');
      await consumer.exited;
      if ((await queue.stats()).inFlight > 0) midBatchKills += 1;
      await sleep(300);
      consumer = await startConsumer(env);
    }
    expect(midBatchKills).toBe(3);
    await sleep(500);
    const result = await drainAndAccount(redisUrl, prefix, sender, 'kill -9 consumer x3');
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, inFlight: 0, delayed: 0, dead: 0, processed: result.accepted });
    expect((await queue.stats()).counters.redelivered).toBeGreaterThan(0);
  });

  it('2. a zombie consumer (SIGSTOP past its lease, SIGCONT after another finished its events) has its late ack refused', async () => {
    const prefix = uniquePrefix('chaos2');
    const env = pipelineEnv(process.env.REDIS_TEST_URL ?? '', prefix, { DAY15_BATCH_SIZE: '50' });
    const queue = queueOf(prefix);
    const { url } = await startReceiver(env);
    const zombie = await startConsumer(env);
    const sender = startSending(url);
    await waitUntil(async () => (await queue.stats()).inFlight > 0, 20_000);
    zombie.child.kill('SIGSTOP');
    await startConsumer(env);
    await sleep(2500);
    await sender.stop();
    await drained(queue);
    zombie.child.kill('SIGCONT');
    await waitUntil(async () => zombie.lines.some((line) => /Lease lost before ack|Heartbeat: \d+ lease\(s\) already lost/.test(line)), 15_000);
    const result = await account(redis, prefix, sender.sent(), [...sender.accepted]);
    printAccounting('zombie consumer', result);
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 0, processed: result.accepted });
  });

  it('3. kill -9 of the receiver under load: every accepted event is processed, retried sends are deduplicated', async () => {
    const prefix = uniquePrefix('chaos3');
    const env = pipelineEnv(process.env.REDIS_TEST_URL ?? '', prefix);
    const first = await startReceiver(env);
    await startConsumer(env);
    const sender = startSending(first.url);
    await waitUntil(async () => sender.accepted.size > 200, 20_000);
    first.receiver.child.kill('SIGKILL');
    await first.receiver.exited;
    // The replacement listens on the same port, as a supervisor would restart it.
    const port = new URL(first.url).port;
    const second = startAppProcess('apps/receiver/main.ts', { ...env, DAY15_WEBHOOK_PORT: port });
    await second.waitForLine(/Receiver listening on/);
    await waitUntil(async () => sender.accepted.size > 400, 20_000);
    const result = await drainAndAccount(redisUrl, prefix, sender, 'kill -9 receiver');
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 0, processed: result.accepted });
  });

  it('8. poison events (a payload that cannot be parsed, an event that no longer validates) are dead-lettered with their reason while the rest flows', async () => {
    const prefix = uniquePrefix('chaos8');
    const env = pipelineEnv(process.env.REDIS_TEST_URL ?? '', prefix);
    const queue = queueOf(prefix);
    const { url } = await startReceiver(env);
    await startConsumer(env);
    const sender = startSending(url);
    await waitUntil(async () => sender.accepted.size > 100, 20_000);
    await queue.enqueue([
      { id: 'poison_unparseable', body: '{"event_id": "poison_unparseable", "event_ty' },
      { id: 'poison_old_format', body: JSON.stringify({ event_id: 'poison_old_format', type: 'signup' }) },
    ]);
    await waitUntil(async () => sender.accepted.size > 300, 20_000);
    const result = await drainAndAccount(redisUrl, prefix, sender, 'poison events under load');
    const letters = await queue.deadLetters.list();
    expect(letters.map((l) => [l.id, l.error.split(':')[0]]).sort()).toEqual([
      ['poison_old_format', 'invalid event'], ['poison_unparseable', 'unparseable event body'],
    ]);
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 2, processed: result.accepted });
  });
});
