import { afterAll, describe, expect, it } from '@jest/globals';
import { killAppProcesses, startAppProcess } from '../../tools/app-process.js';
import { testQueue, uniquePrefix, withRealRedis } from '../support/backends.js';

async function events(env: Record<string, string>, ...args: string[]) {
  const run = startAppProcess('scripts/events/main.ts', env, args);
  return { code: await run.exited, output: run.lines.join('\n') };
}

// Real CLI processes, each a `node --import tsx` start that takes seconds on a busy 2-core machine.
const cliTestTimeoutMs = 120_000;

withRealRedis('npm run events (against a real redis-server)', (backend) => {
  it(
    'prints where the event is as the admin API answers it, straight from Redis, and the usage without an id',
    async () => {
      const prefix = uniquePrefix('events');
      const queue = testQueue(backend.redis, { prefix });
      await queue.enqueue([{ id: 'evt_cli_1', body: '{}' }]);
      const [claim] = await queue.claim('consumer-cli', 1, 10_000);
      await queue.ack('consumer-cli', [{ claim: claim!, effects: [] }]);
      const env = {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
        DAY15_KEY_PREFIX: prefix,
      };

      const found = await events(env, 'evt_cli_1');
      expect(found.code).toBe(0);
      expect(JSON.parse(found.output)).toEqual(await queue.eventStatus('evt_cli_1'));
      expect(JSON.parse(found.output)).toMatchObject({ status: 'processed', consumer: 'consumer-cli' });
      const usage = await events(env);
      expect([usage.code, usage.output]).toEqual([1, expect.stringContaining('Usage:')]);
    },
    cliTestTimeoutMs,
  );
});

describe('npm run events in in-memory mode (through the running pipeline)', () => {
  afterAll(killAppProcesses);

  it(
    "asks the pipeline's ops listener, found from its DAY15_OPS_* settings, with the credential",
    async () => {
      const token = 'events-cli-ops-token-0123';
      const pipeline = startAppProcess('apps/pipeline/main.ts', {
        DAY15_USE_MOCK_REDIS: 'true',
        DAY15_WEBHOOK_PORT: '0',
        DAY15_OPS_TOKEN: token,
      });
      const [[, ingest = ''], [, port = '']] = await Promise.all([
        pipeline.waitForLine(/Receiver listening on (http:\/\/\S+)/, 60_000),
        pipeline.waitForLine(/Ops listening on http:\/\/127\.0\.0\.1:(\d+)/, 60_000),
      ]);
      const event = { event_id: 'evt_cli_2', event_type: 'user_signup', timestamp: '2026-11-26T10:00:00Z' };
      const sent = await fetch(`${ingest}/webhook/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(event),
      });
      expect(sent.status).toBe(202);
      const env = { DAY15_USE_MOCK_REDIS: 'true', DAY15_OPS_PORT: port, DAY15_OPS_TOKEN: token };

      const known = await events(env, 'evt_cli_2');
      expect(known.code).toBe(0);
      expect(['queued', 'in_flight', 'processed']).toContain(JSON.parse(known.output).status);
      const unknown = await events(env, 'evt_never_sent');
      expect(JSON.parse(unknown.output)).toEqual({ event_id: 'evt_never_sent', status: 'unknown' });
      const refused = await events({ ...env, DAY15_OPS_TOKEN: `${token}-wrong` }, 'evt_cli_2');
      expect([refused.code, refused.output]).toEqual([1, expect.stringContaining('refused the credential')]);
    },
    cliTestTimeoutMs,
  );
});
