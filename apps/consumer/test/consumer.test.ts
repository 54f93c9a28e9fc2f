import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from '@jest/globals';
import { effectsFor } from '../../../libs/analytics/index.js';
import { withBackends } from '../../../test/support/backends.js';
import { sleep, waitUntil } from '../../../tools/wait.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { createConsumer, type ConsumerDeps } from '../consumer.js';
import { consumerHarness, signup } from './consumer-harness.js';

withBackends('consumer', (backend) => {
  let running: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(running.map((consumer) => consumer.stop()));
    running = [];
  });
  // A consumer harness on this backend, stopped after the test.
  const harness = (env?: Record<string, string>, extra?: Partial<ConsumerDeps>) => {
    const h = consumerHarness(backend.redis, env, extra);
    running.push(h.consumer);
    return h;
  };

  it('processes N events into exact aggregates, in full batches under load, logging as the original did', async () => {
    const h = harness({ DAY15_BATCH_SIZE: '50' });
    const events = Array.from({ length: 500 }, (_, i) =>
      signup({ metadata: { source: i % 2 ? 'ads' : 'organic', country: 'DE' } }),
    );
    await h.send(events);
    h.consumer.start();
    await h.drained();
    // The last batch's ack is in Redis before the consumer logs it: wait for the log, not just the queue.
    await h.logged(/Batch complete: /, 10);
    const m = await h.metrics();
    expect(m.signups).toMatchObject({ total: 500, by_source: { ads: 250, organic: 250 }, by_country: { DE: 500 } });
    expect(m.totals).toMatchObject({ processed: 500, by_type: { user_signup: 500 } });
    expect(h.logs.filter((line) => line.includes('Processing batch of 50 events'))).toHaveLength(10);
    expect(h.logs.some((line) => /Processed user_signup \(evt_c_\S+\) - latency: [\d.]+ms/.test(line))).toBe(true);
    expect(h.logs.filter((line) => line.includes('Batch complete: 50 success, 0 failed'))).toHaveLength(10);
  });

  it('dead-letters a poison event after exactly DAY15_MAX_RETRIES attempts while the rest of its batch is processed', async () => {
    const poison = signup();
    let attempts = 0;
    const h = harness(
      { DAY15_MAX_RETRIES: '3' },
      {
        effectsFor: (event, context) => {
          if (event.event_id === poison.event_id) {
            attempts += 1;
            throw new Error('rule exploded');
          }
          return effectsFor(event, context);
        },
      },
    );
    await h.send([signup(), poison, signup()]);
    h.consumer.start();
    await waitUntil(
      async () => (await h.queue.stats()).dead === 1,
      20_000,
      async () => h.queue.stats(),
    );
    await h.drained();
    expect(attempts).toBe(3);
    const [letter] = await h.queue.deadLetters.list();
    expect(letter).toMatchObject({ id: poison.event_id, attempts: 3, error: 'analytics rule failed: rule exploded' });
    expect((await h.metrics()).signups.total).toBe(2);
  });

  it('dead-letters at once an event that cannot be parsed or no longer validates, and keeps flowing', async () => {
    const h = harness();
    await h.queue.enqueue([
      { id: 'garbage', body: '{"event_id": "garb' },
      { id: 'old_format', body: JSON.stringify({ event_id: 'old_format', kind: 'signup' }) },
    ]);
    await h.send([signup()]);
    h.consumer.start();
    await h.drained();
    const letters = await h.queue.deadLetters.list();
    expect(letters.map((l) => [l.id, l.attempts])).toEqual([
      ['garbage', 1],
      ['old_format', 1],
    ]);
    expect(letters[0]!.error).toMatch(/^unparseable event body/);
    expect(letters[1]!.error).toMatch(/^invalid event: \/event_type is required/);
    expect((await h.metrics()).signups.total).toBe(1);
  });

  it('applies nothing in dry-run mode but logs what it would apply and acks', async () => {
    const h = harness({ DAY15_DRY_RUN: 'true' });
    await h.send([signup(), signup()]);
    h.consumer.start();
    await h.drained();
    const m = await h.metrics();
    expect(m.signups.total).toBe(0);
    expect(m.totals.processed).toBe(2);
    expect(h.logs.filter((line) => /Dry run: would apply \d+ effects for user_signup/.test(line))).toHaveLength(2);
  });

  it('processes every event while the dashboard API is down, and posts summaries once it answers', async () => {
    let failing = true;
    const received: unknown[] = [];
    const api = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (failing) return void res.writeHead(500).end();
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/metrics`;
      const h = harness(
        { DAY15_DASHBOARD_UPDATE_ENABLED: 'true', DAY15_DASHBOARD_API_URL: url },
        { timing: { dashboardRetryMs: 200 } },
      );
      await h.send([signup(), signup(), signup()]);
      h.consumer.start();
      await h.drained();
      expect((await h.metrics()).signups.total).toBe(3);
      await h.logged(/Dashboard API update failed; will retry/);
      failing = false;
      await waitUntil(
        async () => received.length > 0,
        20_000,
        'a batch summary posted to the dashboard API once it answers',
      );
      expect(received[0]).toMatchObject({
        consumer_id: h.consumer.id,
        success: expect.any(Number),
        by_type: { user_signup: expect.any(Number) },
      });
    } finally {
      api.close();
    }
  });

  it('processes events well under a second after receipt at low load (1 event every 200 ms, default batching)', async () => {
    const h = harness();
    h.consumer.start();
    for (let i = 1; i <= 8; i += 1) {
      await h.send([signup()]);
      // Each event is processed before the next is sent, so every batch holds exactly one event however
      // slowly this machine runs; the 200 ms pause (pacing only, nothing is asserted on it) leaves the
      // consumer idle-polling between events, as at low load.
      await h.logged(/Batch complete: 1 success/, i);
      await sleep(200);
    }
    await h.drained();
    const latencies = h.logs
      .map((line) => /Processed user_signup .* - latency: ([\d.]+)ms/.exec(line)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(latencies).toHaveLength(8);
    // The claim behind "well under a second": a lone event is processed once the short fill gap shows no
    // more are coming, never held back until the batch timeout (5 s by default). That is what is asserted;
    // a wall-clock target such as 500 ms fails on a busy 2-core machine and is the benchmark's job
    // (npm run bench), not a unit test's.
    expect(h.config.processing.batchTimeoutMs).toBe(5000);
    expect(Math.max(...latencies)).toBeLessThan(h.config.processing.batchTimeoutMs);
    expect(h.logs.filter((line) => line.includes('Processing batch of 1 events'))).toHaveLength(8);
  });

  it('on stop finishes the batch in hand, logs the PROCESSING STATISTICS block, and claims nothing more', async () => {
    const h = harness({ DAY15_BATCH_SIZE: '5' });
    await h.send(Array.from({ length: 5 }, () => signup()));
    h.consumer.start();
    await waitUntil(
      async () => (await h.metrics()).totals.processed === 5,
      20_000,
      async () => (await h.metrics()).totals,
    );
    await h.consumer.stop();
    await h.send([signup()]);
    // stop() resolves only once the consumer's loop has ended, so nothing may claim this event any more.
    // The pause only gives a consumer that wrongly kept polling the chance to take it: it can make this
    // test pass wrongly, never fail wrongly.
    await sleep(100);
    expect((await h.queue.stats()).ready).toBe(1);
    const stats = h.logs.slice(h.logs.findIndex((line) => line.includes('PROCESSING STATISTICS')));
    expect(stats.join('\n')).toMatch(
      /events processed: 5[\s\S]*p99 latency: [\d.]+ms[\s\S]*throughput: [\d.]+ events\/s/,
    );
  });
});

withBackends('consumer under a backlog', (backend) => {
  it('claims the next batch before the ack of the current one is answered, and at stop finishes what it claimed ahead', async () => {
    const h = consumerHarness(backend.redis, { DAY15_BATCH_SIZE: '20' });
    const calls: string[] = [];
    // The harness's queue, recording when claims are sent and when acks are answered.
    const observed = Object.assign(Object.create(h.queue) as typeof h.queue, {
      claim: (...args: Parameters<typeof h.queue.claim>) => {
        calls.push('claim');
        return h.queue.claim(...args);
      },
      finish: async (...args: Parameters<typeof h.queue.finish>) => {
        const finished = await h.queue.finish(...args);
        calls.push('ack answered');
        return finished;
      },
    });
    const { logger, lines } = captureLogger('consumer');
    const consumer = createConsumer({ config: h.config, queue: observed, logger });
    await h.send(Array.from({ length: 200 }, () => signup()));
    consumer.start();
    await waitUntil(
      async () => lines.filter((line) => line.includes('Batch complete: 20 success')).length >= 2,
      20_000,
    );
    await consumer.stop();
    // The second batch was claimed while the first was being prepared and acked: Redis ran both in turn.
    expect(calls.slice(0, 2)).toEqual(['claim', 'claim']);
    expect(calls.indexOf('ack answered')).toBeGreaterThanOrEqual(2);
    // Stopped with nothing left in flight: every batch claimed, ahead of time included, was finished.
    const stats = await h.queue.stats();
    expect(stats.inFlight).toBe(0);
    const processed = (await h.metrics()).totals.processed;
    expect(processed).toBe(lines.filter((line) => line.includes('Batch complete: 20 success')).length * 20);
    expect(processed + stats.ready).toBe(200);
  });
});
