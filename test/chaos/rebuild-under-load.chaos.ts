import { afterEach, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectsFor, readMetrics } from '../../libs/analytics/index.js';
import { FileArchiveStore, openArchiveQuery } from '../../libs/archive/index.js';
import { rebuildAnalytics } from '../../scripts/rebuild-analytics/rebuild.js';
import { killAppProcesses } from '../../tools/app-process.js';
import { testQueue, uniquePrefix, withRealRedis } from '../support/backends.js';
import { drainAndAccount } from './accounting.js';
import { freezeWhileHolding, leasesHeldBy } from './leases.js';
import { startSending, waitForAccepted } from './load-sender.js';
import { pipelineEnv, startConsumer, startReceiver } from './pipeline-processes.js';

jest.setTimeout(300_000);

// The chaos sender's usage events name their feature by their sequence number (load-sender.ts).
const features = ['api_calls', 'reports', 'exports', 'dashboards', 'storage'];
const featureOf = (id: string) => features[Number(id.slice(id.lastIndexOf('_') + 1)) % features.length] as string;

withRealRedis('chaos: rebuilding the analytics under load (real processes, private redis-server)', (backend) => {
  const redisUrl = process.env.REDIS_TEST_URL ?? '';
  afterEach(killAppProcesses);

  it('14. a rebuild while ~1,000 events/s flow and a consumer is killed with kill -9 mid-batch: nothing lost, nothing counted twice, the rebuilt analytics equal every accepted event processed once', async () => {
    const prefix = uniquePrefix('chaos14');
    const dir = await mkdtemp(join(tmpdir(), 'day15-chaos14-'));
    try {
      const env = pipelineEnv(redisUrl, prefix, {
        DAY15_BATCH_SIZE: '50',
        DAY15_MAX_RETRIES: '10',
        DAY15_ARCHIVE_ENABLED: 'true',
        DAY15_ARCHIVE_DIR: dir,
      });
      const redis = backend.redis;
      const queue = testQueue(redis, { prefix });
      const { url } = await startReceiver(env);
      const victim = await startConsumer(env);
      await startConsumer(env);
      // 24 senders, each pausing 2 ms between answered requests: about 1,000 events/s here (the rate sent is printed).
      const sender = startSending(url, { concurrency: 24, pauseMs: 2 });
      const sendingSince = Date.now();
      await waitForAccepted(sender, 2000);

      let killedMidBatch = false;
      const lines: string[] = [];
      const result = await rebuildAnalytics({
        redis,
        queue,
        prefix,
        store: new FileArchiveStore({ dir, retentionDays: 90 }),
        effectsFor,
        baseCurrency: 'USD',
        report: (line) => lines.push(line),
        // With the cut made, acks write both generations: kill a consumer mid-batch and let traffic go on.
        afterCut: async () => {
          await freezeWhileHolding(redis, prefix, victim);
          victim.child.kill('SIGKILL');
          await victim.exited;
          killedMidBatch = (await leasesHeldBy(redis, prefix, victim.id)).length > 0;
          await startConsumer(env);
          await waitForAccepted(sender, sender.accepted.size + 1000);
        },
      });
      await waitForAccepted(sender, sender.accepted.size + 500);
      const rate = Math.round((sender.sent() / (Date.now() - sendingSince)) * 1000);
      const accounting = await drainAndAccount(redisUrl, prefix, sender, `rebuild under load (${rate} events/s sent)`);
      expect(killedMidBatch).toBe(true);
      expect(result.replayed).toBeGreaterThan(1000);
      expect(accounting).toMatchObject({ lost: 0, doubleCounted: 0, dead: 0, processed: accounting.accepted });

      // From scratch: every accepted event is a usage event of quantity 1 with a known feature.
      const expected: Record<string, { quantity: number; events: number }> = {};
      for (const id of sender.accepted) {
        const feature = featureOf(id);
        expected[feature] = {
          quantity: (expected[feature]?.quantity ?? 0) + 1,
          events: (expected[feature]?.events ?? 0) + 1,
        };
      }
      const metrics = await readMetrics(queue);
      expect((await queue.home.generationStateNow()).live).toBe(result.generation);
      expect(metrics.usage.by_feature).toEqual(expected);
      expect(metrics.totals.by_type.usage_tracked).toBe(accounting.accepted);

      // The archive, read through its API once the consumers have written everything out, holds each once.
      await killAppProcesses();
      const archive = await openArchiveQuery({
        store: new FileArchiveStore({ dir, retentionDays: 90 }),
        extraLines: [],
        onProblem: () => undefined,
      });
      const [row] = await archive.all('select count(*)::INT as n, count(distinct event_id)::INT as ids from events');
      await archive.close();
      expect(row).toEqual({ n: accounting.accepted, ids: accounting.accepted });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
