import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from '@jest/globals';
import { killAppProcesses, startAppProcess } from '../../tools/app-process.js';
import { testQueue, uniquePrefix, withRealRedis } from '../support/backends.js';

// Real processes, each a `node --import tsx` start that takes seconds on a busy 2-core machine.
const processTestTimeoutMs = 120_000;

withRealRedis('a process started with another DAY15_PARTITIONS than its data (real redis-server)', (backend) => {
  afterEach(killAppProcesses);

  it.each(['apps/receiver/main.ts', 'apps/consumer/main.ts', 'scripts/dlq/main.ts', 'scripts/orchestrator/main.ts'])(
    '%s refuses to run, exits 1 and names the way to change the number; the data is untouched',
    async (entry) => {
      const prefix = uniquePrefix('layout');
      const queue = testQueue(backend.redis, { prefix, partitions: 1 });
      await queue.enqueue([{ id: 'e1', body: JSON.stringify({ event_id: 'e1' }), placementKey: 'u1' }]);
      const keysBefore = (await backend.redis.keys(`${prefix}:*`)).sort();
      const run = startAppProcess(
        entry,
        {
          DAY15_USE_MOCK_REDIS: 'false',
          DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
          DAY15_KEY_PREFIX: prefix,
          DAY15_PARTITIONS: '3',
          DAY15_WEBHOOK_PORT: '0',
          DAY15_LOG_FILE: join(tmpdir(), `${prefix}.log`),
        },
        entry.includes('dlq') ? ['list'] : [],
      );
      expect(await run.exited).toBe(1);
      expect(run.lines.join('\n')).toContain(
        `The queue ${prefix}:{events} was written with DAY15_PARTITIONS=1, but this process has DAY15_PARTITIONS=3`,
      );
      expect(run.lines.join('\n')).toContain('npm run repartition -- --to 3');
      expect((await backend.redis.keys(`${prefix}:*`)).sort()).toEqual(keysBefore);
      expect((await queue.stats()).ready).toBe(1);
    },
    processTestTimeoutMs,
  );
});
