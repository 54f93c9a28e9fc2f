import { connect } from 'node:net';
import { afterAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { anEvent, receiverHarness } from '../../apps/receiver/test/receiver-harness.js';
import { validateEvent } from '../../libs/events/index.js';
import { killAppProcesses } from '../../tools/app-process.js';
import { testQueue, uniquePrefix, withRealRedis } from '../support/backends.js';
import { account, printAccounting } from './accounting.js';
import { forgedSignatures, hostileCorpus, type HostileRequest } from './hostile-corpus.js';
import { pipelineEnv, startReceiver } from './pipeline-processes.js';

const secret = 'whsec_Y2hhb3Mtc2VjcmV0LTAxMjM0NTY3ODk=';

// Each hostile request goes out through fetch, the way a sender's ordinary HTTP client would. The oversized
// bodies (10 MB, over the limit) get their 413 from Content-Length while still uploading; the receiver reads
// and discards the rest instead of resetting, so a plain client reads the 413. A transport failure is
// reported as that case's wrong answer, naming its cause, rather than failing the whole corpus at once.
async function send(url: string, req: HostileRequest): Promise<{ status: number; error?: string }> {
  let res: Response;
  try {
    res = await fetch(`${url}${req.path}`, { method: 'POST', headers: req.headers, body: req.body });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, error: `no answer: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
  const text = await res.text();
  try {
    return { status: res.status, error: (text ? (JSON.parse(text) as { error?: string }) : {}).error };
  } catch {
    return { status: res.status, error: `(not JSON: ${text.slice(0, 80)})` };
  }
}

withRealRedis('chaos: hostile input against real receiver processes', (backend) => {
  afterAll(killAppProcesses);

  it('10. answers 200+ hostile requests each with the right 4xx, enqueues nothing, and stays up (slow-loris included)', async () => {
    const plainPrefix = uniquePrefix('hostile');
    const signedPrefix = uniquePrefix('hostilesig');
    const plain = await startReceiver(pipelineEnv(process.env.REDIS_TEST_URL ?? '', plainPrefix));
    const signed = await startReceiver(
      pipelineEnv(process.env.REDIS_TEST_URL ?? '', signedPrefix, { DAY15_WEBHOOK_SECRETS: secret }),
    );
    const corpus = hostileCorpus(65_536);
    const forged = forgedSignatures(secret);
    expect(corpus.length + forged.length).toBeGreaterThanOrEqual(200);

    const wrong: string[] = [];
    for (const [url, requests] of [
      [plain.url, corpus],
      [signed.url, forged],
    ] as const) {
      for (const req of requests) {
        const answer = await send(url, req);
        if (answer.status !== req.status || answer.error !== req.error)
          wrong.push(`${req.label}: got ${answer.status} ${answer.error}`);
      }
    }
    expect(wrong).toEqual([]);

    // Slow-loris: a client that never finishes its headers is cut off, while others are served. The
    // receiver's headers timeout is 10 s, checked every second; 20 s leaves a loaded machine room. A
    // receiver that never cuts it off is given up on at 30 s, so the expectation fails with a number.
    const cutOff = new Promise<number>((resolve) => {
      const started = Date.now();
      const socket = connect(plain.port, '127.0.0.1', () =>
        socket.write('POST /webhook/events HTTP/1.1\r\nHost: x\r\n'),
      );
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 1000);
      const giveUp = setTimeout(() => socket.destroy(), 30_000);
      socket.on('close', () => {
        clearInterval(drip);
        clearTimeout(giveUp);
        resolve(Date.now() - started);
      });
      socket.on('error', () => undefined);
    });
    expect((await fetch(`${plain.url}/health`)).status).toBe(200);
    expect(await cutOff).toBeLessThan(20_000);

    for (const [prefix, sent] of [
      [plainPrefix, corpus.length],
      [signedPrefix, forged.length],
    ] as const) {
      const queue = testQueue(backend.redis, { prefix });
      expect((await queue.stats()).counters.accepted).toBe(0);
      const result = await account(backend.redis, prefix, sent, []);
      printAccounting(
        `hostile input (${prefix.startsWith('hostilesig') ? 'signatures' : 'corpus'}, every answer as expected)`,
        result,
      );
      expect(result).toMatchObject({ accepted: 0, processed: 0, lost: 0, doubleCounted: 0 });
    }
    expect(plain.receiver.child.exitCode).toBeNull();
    expect(signed.receiver.child.exitCode).toBeNull();
  }, 180_000);

  it('10b. property: for random events, the receiver accepts exactly what the schema accepts and queues only that', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    // Half the candidates are valid events built from the contract's domain, half the same with one field
    // replaced by a random JSON value (which may or may not still be valid): the schema decides, the
    // receiver must agree with it.
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const iso = fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString());
    const validEvent = fc.record(
      {
        event_id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
        event_type: fc.constantFrom('subscription_created', 'subscription_updated'),
        timestamp: iso,
        user_id: fc.string({ minLength: 1, maxLength: 20 }),
        metadata: fc.record(
          {
            plan: fc.string({ minLength: 1, maxLength: 10 }),
            amount: fc.double({ min: 0, max: 1e6, noNaN: true }),
            billing_cycle: fc.constantFrom('monthly', 'annual'),
            currency: fc.constantFrom('USD', 'EUR'),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['event_id', 'event_type', 'timestamp'] },
    );
    const field = fc.constantFrom(
      'event_id',
      'event_type',
      'timestamp',
      'user_id',
      'metadata',
      'amount',
      'billing_cycle',
      'extra',
    );
    const broken = fc
      .tuple(validEvent, field, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), iso))
      .map(([event, name, value]) =>
        name === 'amount' || name === 'billing_cycle'
          ? { ...event, metadata: { ...(event.metadata ?? {}), [name]: value } }
          : { ...event, [name]: value },
      );
    const candidate = fc.oneof(validEvent, broken);
    let accepted = 0;
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(candidate, async (raw) => {
        seq += 1;
        const unique =
          typeof raw.event_id === 'string' && raw.event_id.length < 190
            ? { ...raw, event_id: `${raw.event_id}_${seq}` }
            : raw;
        const event = JSON.parse(JSON.stringify(unique)) as unknown;
        const verdict = validateEvent(event);
        const res = await request(app)
          .post('/webhook/events')
          .send(event as object);
        if (verdict.ok) {
          accepted += 1;
          return res.status === 202;
        }
        return res.status === 400 && res.body.error === 'invalid_event' && res.body.details.length > 0;
      }),
      { numRuns: 300 },
    );
    const queued = (await queue.stats()).ready;
    expect(queued).toBe(accepted);
    process.stdout.write(
      `[chaos] property test (receiver verdict = schema verdict): sent 300 / accepted ${accepted} / processed 0 / ` +
        `queued ${queued} / dead 0 / lost ${accepted - queued} / double-counted 0\n`,
    );
    await request(app).post('/webhook/events').send(anEvent()).expect(202);
  });
});
