import { afterEach, describe, expect, it } from '@jest/globals';
import type { MetricsDocument } from '../../libs/analytics/index.js';
import { killAppProcesses } from '../../tools/app-process.js';
import { startRedisCluster, type RedisCluster } from '../../tools/redis-cluster.js';
import { waitUntil } from '../../tools/wait.js';
import { uniquePrefix } from '../support/backends.js';
import { runGenerator, startOrchestrator } from './orchestrator-harness.js';

// Issue 14's acceptance: the same seeded events give the same analytics on a Redis Cluster, the queue in 6
// partitions spread over its 3 shards, as on single Redis (one partition).
// Seed 40's story leaves live subscriptions on several plans and some churn, so no compared number is 0 by
// chance (seed 15's ends with every subscription cancelled: no MRR to compare).
const seed = '40';
// Real processes (two orchestrators with their children, the generator twice) on a busy 2-core machine:
// generous, and every wait ends as soon as its condition holds.
const timeoutMs = 180_000;

const metricsOf = async (opsUrl: string): Promise<MetricsDocument> =>
  (await (await fetch(`${opsUrl}/api/metrics`)).json()) as MetricsDocument;

// The analytics that depend only on which events were processed, not on where or when: what both runs share.
// Cancellations are compared as churned + unknown: a cancellation processed before its user's subscription
// events counts as unknown, and stays so when they arrive, so the split depends on processing order, which
// two consumers can change on any Redis (seen once in a few runs on a loaded machine, on single Redis).
function analyticsOf({ totals, signups, subscriptions, usage, unique_users_today }: MetricsDocument) {
  const { churned, unknown_cancellations, ...current } = subscriptions;
  return {
    totals: {
      by_type: totals.by_type,
      accepted: totals.accepted,
      processed: totals.processed,
      duplicates: totals.duplicates,
    },
    signups: { total: signups.total, by_source: signups.by_source, by_country: signups.by_country },
    subscriptions: { ...current, cancellations: churned + unknown_cancellations },
    usage,
    unique_users_today,
  };
}

// `npm run orchestrate` on Redis (as `env` says, with two consumers), then every generator scenario with the
// seed: all pass and every accepted event is processed. Returns its start-up lines and its metrics once it
// has stopped cleanly.
async function orchestrateSeededRun(
  env: Record<string, string>,
  freshEnv?: () => Promise<Record<string, string>>,
): Promise<{ startup: string; metrics: MetricsDocument }> {
  const { orchestrator, url, ops } = await startOrchestrator(
    { DAY15_USE_MOCK_REDIS: 'false', DAY15_CONSUMER_COUNT: '2', ...env },
    freshEnv,
  );
  const { code, summary, output } = await runGenerator(url, ops.env, '--seed', seed);
  expect({ code, scenarios: summary.scenarios, processed: summary.processed }).toEqual({
    code: 0,
    scenarios: ['basic', 'idempotency', 'burst', 'batch'].map((name) => ({ name, passed: true })),
    processed: true,
  });
  expect(output).toContain('1 accepted, 2 ignored as duplicates');
  await waitUntil(
    async () => (await metricsOf(ops.url)).totals.processed === summary.accepted,
    60_000,
    async () => `processed ${(await metricsOf(ops.url)).totals.processed} of ${summary.accepted} accepted`,
  );
  const metrics = await metricsOf(ops.url);
  expect(metrics.totals.by_type).toEqual(summary.accepted_by_type);
  expect(metrics.subscriptions.mrr).toBeCloseTo(summary.expected_mrr, 2);
  orchestrator.child.kill('SIGTERM');
  expect(await orchestrator.exited).toBe(0);
  return { startup: orchestrator.lines.join('\n'), metrics };
}

describe('npm run orchestrate on a Redis Cluster (real processes)', () => {
  let cluster: RedisCluster | undefined;
  afterEach(async () => {
    killAppProcesses();
    await cluster?.stop();
    cluster = undefined;
  });

  it(
    'in cluster mode with 6 partitions: every seeded generator scenario passes, every accepted event is processed, and /api/metrics equals the same events on single Redis',
    async () => {
      cluster = await startRedisCluster();
      const onCluster = await orchestrateSeededRun({
        DAY15_REDIS_MODE: 'cluster',
        DAY15_REDIS_CLUSTER_NODES: cluster.seeds,
        DAY15_PARTITIONS: '6',
      });
      // A fresh key prefix per start attempt: the seeded event ids must meet no idempotency keys of an earlier run.
      const onSingle = await orchestrateSeededRun({ DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '' }, async () => ({
        DAY15_KEY_PREFIX: uniquePrefix('e2e-cluster'),
      }));
      expect(onCluster.startup).toContain(
        `Mode: Redis at the Redis Cluster of ${cluster.seeds}, 2 consumer(s), queue in 6 partitions`,
      );
      expect(onSingle.startup).toMatch(/Mode: Redis at redis:\/\/127\.0\.0\.1:\d+, 2 consumer\(s\)/);
      const analytics = analyticsOf(onSingle.metrics);
      expect(analyticsOf(onCluster.metrics)).toEqual(analytics);
      // The seed's story left revenue and churn to compare (see `seed`).
      expect(analytics.subscriptions.mrr).toBeGreaterThan(0);
      expect(analytics.subscriptions.cancellations).toBeGreaterThan(0);
    },
    timeoutMs,
  );
});
