import { afterEach, expect, it, jest } from '@jest/globals';
import { killAppProcesses } from '../../tools/app-process.js';
import { waitForDrained, waitUntil } from '../../tools/wait.js';
import { testQueue, uniquePrefix, withRealRedis } from '../support/backends.js';
import { account, drainAndAccount, printAccounting } from './accounting.js';
import { freezeWhileHolding, leasesHeldBy } from './leases.js';
import { startSending, waitForAccepted } from './load-sender.js';
import { pipelineEnv, restartReceiverOn, startConsumer, startReceiver } from './pipeline-processes.js';

// Each wait below is bounded on its own (with an error saying what was missing); a scenario chains several,
// so it gets more time than the config's default before jest's generic timeout could pre-empt them.
jest.setTimeout(300_000);

withRealRedis('chaos: processes killed under load (real processes, private redis-server)', (backend) => {
  const redisUrl = process.env.REDIS_TEST_URL ?? '';
  afterEach(killAppProcesses);

  it('1. kill -9 of consumers mid-batch, repeatedly: nothing lost, nothing counted twice', async () => {
    const prefix = uniquePrefix('chaos1');
    // Every lease that expires counts as an attempt (so an event that kills every consumer ends in the dead
    // letters); three kills could hit the same recovered event three times, so allow more attempts here.
    const env = pipelineEnv(process.env.REDIS_TEST_URL ?? '', prefix, {
      DAY15_BATCH_SIZE: '50',
      DAY15_MAX_RETRIES: '10',
    });
    const redis = backend.redis;
    const queue = testQueue(redis, { prefix });
    const { url } = await startReceiver(env);
    let consumer = await startConsumer(env);
    const sender = startSending(url);
    // Three kills that really land mid-batch: a kill that lands between two batches does not count. The
    // consumer is frozen at a moment it provably holds leases and then killed, so the kill cannot land just
    // after an ack that was racing with it; it counts as mid-batch if the dead consumer still holds leases.
    let midBatchKills = 0;
    for (let tries = 0; midBatchKills < 3 && tries < 20; tries += 1) {
      await freezeWhileHolding(redis, prefix, consumer);
      consumer.child.kill('SIGKILL');
      await consumer.exited;
      if ((await leasesHeldBy(redis, prefix, consumer.id)).length > 0) midBatchKills += 1;
      consumer = await startConsumer(env);
    }
    expect(midBatchKills).toBe(3);
    const result = await drainAndAccount(redisUrl, prefix, sender, 'kill -9 consumer x3');
    expect(result).toMatchObject({
      lost: 0,
      doubleCounted: 0,
      inFlight: 0,
      delayed: 0,
      dead: 0,
      processed: result.accepted,
    });
    expect((await queue.stats()).counters.redelivered).toBeGreaterThan(0);
  });

  it('2. a zombie consumer (SIGSTOP past its lease, SIGCONT after another finished its events) has its late ack refused', async () => {
    const prefix = uniquePrefix('chaos2');
    const env = pipelineEnv(process.env.REDIS_TEST_URL ?? '', prefix, { DAY15_BATCH_SIZE: '50' });
    const redis = backend.redis;
    const queue = testQueue(redis, { prefix });
    const { url } = await startReceiver(env);
    const zombie = await startConsumer(env);
    const sender = startSending(url);
    const held = await freezeWhileHolding(redis, prefix, zombie);
    await startConsumer(env);
    // Past its lease, the other consumer takes the zombie's events back and finishes them (an acked event's
    // record is deleted): waited for, not guessed with a sleep.
    const unfinished = () => redis.exists(...held.map((id) => queue.home.keys.event(id)));
    await waitUntil(async () => (await unfinished()) === 0, 60_000, {
      what: `the other consumer to finish the ${held.length} event(s) the frozen zombie held`,
      state: async () =>
        `${await unfinished()} still unfinished: ${(await leasesHeldBy(redis, prefix, zombie.id)).length} still leased to the zombie`,
    });
    await sender.stop();
    await waitForDrained(queue);
    zombie.child.kill('SIGCONT');
    await waitUntil(
      () => zombie.lines.some((line) => /Lease lost before ack|Lease renewal: \d+ lease\(s\) already lost/.test(line)),
      60_000,
      {
        what: 'the resumed zombie to report its late ack or lease renewal refused',
        state: () => `zombie output so far:\n${zombie.lines.slice(-20).join('\n')}`,
      },
    );
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
    await waitForAccepted(sender, 200);
    first.receiver.child.kill('SIGKILL');
    await first.receiver.exited;
    // The replacement listens on the same port, as a supervisor would restart it.
    await restartReceiverOn(env, first.port);
    await waitForAccepted(sender, 400);
    const result = await drainAndAccount(redisUrl, prefix, sender, 'kill -9 receiver');
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 0, processed: result.accepted });
  });

  it('8. poison events (a payload that cannot be parsed, an event that no longer validates) are dead-lettered with their reason while the rest flows', async () => {
    const prefix = uniquePrefix('chaos8');
    const env = pipelineEnv(process.env.REDIS_TEST_URL ?? '', prefix);
    const queue = testQueue(backend.redis, { prefix });
    const { url } = await startReceiver(env);
    await startConsumer(env);
    const sender = startSending(url);
    await waitForAccepted(sender, 100);
    await queue.enqueue([
      { id: 'poison_unparseable', body: '{"event_id": "poison_unparseable", "event_ty' },
      { id: 'poison_old_format', body: JSON.stringify({ event_id: 'poison_old_format', type: 'signup' }) },
    ]);
    await waitForAccepted(sender, 300);
    const result = await drainAndAccount(redisUrl, prefix, sender, 'poison events under load');
    const letters = await queue.deadLetters.list();
    expect(letters.map((l) => [l.id, l.error.split(':')[0]]).sort()).toEqual([
      ['poison_old_format', 'invalid event'],
      ['poison_unparseable', 'unparseable event body'],
    ]);
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 2, processed: result.accepted });
  });
});
