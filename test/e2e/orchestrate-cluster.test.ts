import { afterEach, describe, expect, it } from '@jest/globals';
import type { MetricsDocument } from '../../libs/analytics/index.js';
import { killAppProcesses } from '../../tools/app-process.js';
import { startRedisCluster, type RedisCluster } from '../../tools/redis-cluster.js';
import { waitUntil } from '../../tools/wait.js';
import { uniquePrefix } from '../support/backends.js';
import { expectedRevenue, revenueOf, runGenerator, startOrchestrator } from './orchestrator-harness.js';

// Issue 14's acceptance: the same seeded events give the same analytics on a Redis Cluster, the queue in 6
// partitions spread over its 3 shards, as on single Redis (one partition).
// Any seed's lifecycle scenario leaves live subscriptions in three currencies, churn and every kind of MRR
// movement on four days; seed 40's random mix adds more on several plans.
const seed = '40';
// Real processes (two orchestrators with their children, the generator twice) on a busy 2-core machine:
// generous, and every wait ends as soon as its condition holds.
const timeoutMs = 180_000;

const metricsOf = async (opsUrl: string): Promise<MetricsDocument> =>
  (await (await fetch(`${opsUrl}/api/metrics`)).json()) as MetricsDocument;

// The analytics that depend only on which events were processed, not on where or when: what both runs share.
// Churn, unknown cancellations and the MRR movements depend on the order each user's subscription events are
// processed in, which two consumers could change; the generator makes it certain by sending each user's
// subscription events in phases, each processed before the next is sent, so they are compared as they are.
function analyticsOf({ totals, signups, subscriptions, usage, unique_users_today, active_users }: MetricsDocument) {
  return {
    totals: {
      by_type: totals.by_type,
      accepted: totals.accepted,
      processed: totals.processed,
      duplicates: totals.duplicates,
    },
    signups: { total: signups.total, by_source: signups.by_source, by_country: signups.by_country },
    subscriptions,
    usage,
    unique_users_today,
    active_users,
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
    scenarios: ['basic', 'idempotency', 'burst', 'batch', 'lifecycle'].map((name) => ({ name, passed: true })),
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
  expect(revenueOf(metrics, summary)).toEqual(expectedRevenue(summary));
  expect(summary.metrics_checks.filter((check) => !check.passed)).toEqual([]);
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
      expect(analytics.subscriptions.churned).toBeGreaterThan(0);
      expect(analytics.subscriptions.unknown_cancellations).toBe(0);
      expect(analytics.subscriptions.movements.by_day.filter((day) => day.net !== 0).length).toBeGreaterThan(1);
    },
    timeoutMs,
  );
});
