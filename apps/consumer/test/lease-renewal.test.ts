import { afterEach, expect, it } from '@jest/globals';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { withBackends } from '../../../test/support/backends.js';
import { waitUntil } from '../../../tools/wait.js';
import { createConsumer, type Consumer, type ConsumerDeps } from '../consumer.js';
import { consumerHarness, signup } from './consumer-harness.js';

// Issue 18: lease renewal runs on a timer, and an ack may finish its claims at any moment around it. These
// tests fire the renewal themselves (ConsumerDeps.every) at the three moments that matter, and once where a
// lease really was lost.

type Renewal = () => void;
type FinishArgs = Parameters<ReturnType<typeof consumerHarness>['queue']['finish']>;

withBackends('lease renewal', (backend) => {
  let running: Consumer[] = [];
  afterEach(async () => {
    await Promise.all(running.map((consumer) => consumer.stop()));
    running = [];
  });

  /**
   * A consumer on its own prefix whose timers are captured (the renewal is the one every third of the
   * lease), and whose queue's ack and lease extension the test can wrap.
   */
  function setUp(
    env: Record<string, string>,
    wrap: (renew: () => Renewal, queue: ReturnType<typeof consumerHarness>['queue']) => object,
    extra: Partial<ConsumerDeps> = {},
  ) {
    const h = consumerHarness(backend.redis, { DAY15_BATCH_SIZE: '20', ...env });
    const renewEvery = Math.max(50, h.config.processing.leaseMs / 3);
    let renewal: Renewal | undefined;
    const every: ConsumerDeps['every'] = (ms, run) => {
      if (ms === renewEvery) renewal = run;
      return () => undefined;
    };
    const renew = () => {
      if (!renewal) throw new Error('the consumer has not started its lease renewal');
      return renewal;
    };
    const queue = Object.assign(Object.create(h.queue) as typeof h.queue, wrap(renew, h.queue));
    const { logger, lines } = captureLogger('consumer');
    const consumer = createConsumer({ config: h.config, queue, logger, every, ...extra });
    running.push(consumer);
    const lost = () => lines.filter((line) => /already lost/.test(line));
    const batches = () => lines.filter((line) => line.includes('Batch complete: 20 success, 0 failed')).length;
    return { h, consumer, lines, lost, batches, renew };
  }

  it('does not call claims lost that an ack finished, whether the renewal fires during the ack, just after it, or its reply comes after it', async () => {
    let acks = 0;
    // Set by the third ack: the reply of the renewal it fires is held back until that batch is complete.
    let replyHeld: Promise<void> | undefined;
    const { h, consumer, lost, batches } = setUp({}, (renew, queue) => ({
      finish: async (...args: FinishArgs) => {
        acks += 1;
        if (acks === 1) {
          // 1. While the ack is in flight: the renewal reaches Redis after the ack, which deleted the leases.
          const finishing = queue.finish(...args);
          renew()();
          return finishing;
        }
        if (acks === 2) {
          // 2. Just after the ack returns, before the consumer has taken its reply in.
          const finished = await queue.finish(...args);
          renew()();
          return finished;
        }
        // 3. Sent while this ack is in flight, its reply let through only once the batch is complete.
        let release: () => void = () => undefined;
        replyHeld = new Promise<void>((resolve) => (release = resolve));
        const finishing = queue.finish(...args);
        renew()();
        const finished = await finishing;
        setImmediate(release);
        return finished;
      },
      extend: async (...args: Parameters<typeof queue.extend>) => {
        const hold = replyHeld;
        replyHeld = undefined;
        const kept = await queue.extend(...args);
        await hold;
        return kept;
      },
    }));
    await h.send(Array.from({ length: 60 }, () => signup()));
    consumer.start();
    await waitUntil(async () => batches() === 3 && (await h.queue.stats()).inFlight === 0, 20_000);
    await consumer.stop();
    expect(acks).toBe(3);
    expect((await h.metrics()).totals.processed).toBe(60);
    expect(lost()).toEqual([]);
  });

  it('still warns when a lease was really lost: taken back by another consumer while this one held the batch', async () => {
    let claimed = 0;
    const { h, consumer, lines, lost, renew } = setUp(
      // A partial batch waits for more events (up to 10 s), so it is still held when the renewal fires.
      { DAY15_BATCH_TIMEOUT_SECONDS: '10' },
      (_renew, queue) => ({
        claim: async (...args: Parameters<typeof queue.claim>) => {
          const claims = await queue.claim(...args);
          claimed += claims.length;
          return claims;
        },
      }),
      { timing: { fillGapMs: 10_000 } },
    );
    await h.send(Array.from({ length: 5 }, () => signup()));
    consumer.start();
    await waitUntil(async () => claimed === 5, 20_000);
    // Another consumer, its clock past these leases, takes the events back while this one waits for more.
    expect(await h.queue.recoverExpired(Date.now() + 10 * h.config.processing.leaseMs)).toMatchObject({ requeued: 5 });
    renew()();
    await waitUntil(
      async () => lost().length > 0,
      20_000,
      () => lines.slice(-5).join(' | '),
    );
    expect(lost()).toEqual([expect.stringMatching(/Lease renewal: 5 lease\(s\) already lost$/)]);
    await consumer.stop();
    // The late ack is refused too, and the events wait for their next delivery.
    expect(lines.filter((line) => line.includes('Lease lost before ack'))).toHaveLength(5);
    expect((await h.queue.stats()).ready).toBe(5);
  });
});
