import { afterAll, describe, expect, it } from '@jest/globals';
import { killAppProcesses, startAppProcess } from '../../tools/app-process.js';
import { testQueue, uniquePrefix, withRealRedis } from '../support/backends.js';

async function dlq(prefix: string, ...args: string[]) {
  const run = startAppProcess(
    'scripts/dlq/main.ts',
    {
      DAY15_USE_MOCK_REDIS: 'false',
      DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
      DAY15_KEY_PREFIX: prefix,
    },
    args,
  );
  return { code: await run.exited, output: run.lines.join('\n') };
}

// Four real CLI processes, each a `node --import tsx` start that takes seconds on a busy 2-core machine.
const cliTestTimeoutMs = 120_000;

withRealRedis('npm run dlq (against a real redis-server)', (backend) => {
  it(
    'lists, replays and purges dead letters',
    async () => {
      const prefix = uniquePrefix('dlq');
      const queue = testQueue(backend.redis, { prefix, maxAttempts: 1 });
      await queue.enqueue(['d1', 'd2', 'd3'].map((id) => ({ id, body: JSON.stringify({ event_id: id }) })));
      const claims = await queue.claim('c', 10, 10_000);
      await queue.fail(
        'c',
        claims.map((claim) => ({ claim, error: 'bad pricing' })),
      );

      const listed = await dlq(prefix, 'list');
      expect(listed.code).toBe(0);
      expect(listed.output).toMatch(/3 dead letter\(s\)[\s\S]*d1 {2}attempts=1 {2}dead_at=\S+ {2}error=bad pricing/);
      expect(await dlq(prefix, 'replay', 'd1')).toMatchObject({
        code: 0,
        output: expect.stringContaining('Replayed 1 dead letter(s)'),
      });
      expect(await dlq(prefix, 'purge', '--all')).toMatchObject({
        code: 0,
        output: expect.stringContaining('Purged 2 dead letter(s)'),
      });
      expect(await queue.stats()).toMatchObject({ ready: 1, dead: 0 });
      expect((await dlq(prefix, 'replay')).code).toBe(1);
    },
    cliTestTimeoutMs,
  );
});

describe('npm run dlq in in-memory mode (through the running pipeline)', () => {
  afterAll(killAppProcesses);

  it(
    "finds the pipeline's ops listener from its DAY15_OPS_* settings and uses its admin API with the credential",
    async () => {
      const token = 'dlq-cli-ops-token-0123';
      const pipeline = startAppProcess('apps/pipeline/main.ts', {
        DAY15_USE_MOCK_REDIS: 'true',
        DAY15_WEBHOOK_PORT: '0',
        DAY15_OPS_TOKEN: token,
      });
      const [, port = ''] = await pipeline.waitForLine(/Ops listening on http:\/\/127\.0\.0\.1:(\d+)/, 60_000);
      const run = async (env: Record<string, string>, ...args: string[]) => {
        const cli = startAppProcess('scripts/dlq/main.ts', { DAY15_USE_MOCK_REDIS: 'true', ...env }, args);
        return { code: await cli.exited, output: cli.lines.join('\n') };
      };
      expect(await run({ DAY15_OPS_PORT: port, DAY15_OPS_TOKEN: token }, 'list')).toEqual({
        code: 0,
        output: `0 dead letter(s) in the pipeline at http://127.0.0.1:${port}`,
      });
      expect(await run({ DAY15_OPS_PORT: port, DAY15_OPS_TOKEN: token }, 'replay', '--all')).toMatchObject({
        code: 0,
        output: 'Replayed 0 dead letter(s)',
      });
      const refused = await run({ DAY15_OPS_PORT: port, DAY15_OPS_TOKEN: `${token}-wrong` }, 'list');
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('refused the credential: set DAY15_OPS_TOKEN as the pipeline has it');
    },
    cliTestTimeoutMs,
  );
});
