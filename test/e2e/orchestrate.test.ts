import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { MetricsDocument } from '../../libs/analytics/index.js';
import { killAppProcesses, startAppProcess } from '../../tools/app-process.js';
import { freePort } from '../../tools/free-port.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { sleep, waitUntil } from '../../tools/wait.js';
import { uniquePrefix } from '../support/backends.js';
import {
  expectedRevenue,
  isAlive,
  pidsOf,
  revenueOf,
  runGenerator,
  startOrchestrator,
  type GeneratorSummary,
} from './orchestrator-harness.js';

// The metrics document, from the ops listener (`opsUrl`), where the orchestrator's receiver serves it.
const metricsOf = async (opsUrl: string): Promise<MetricsDocument> =>
  (await (await fetch(`${opsUrl}/api/metrics`)).json()) as MetricsDocument;

// Real processes (an orchestrator, its children, the generator), each a `node --import tsx` start that
// takes seconds on a busy 2-core machine: generous limits, and every wait ends as soon as its condition holds.
const timeoutMs = { short: 60_000, pipeline: 180_000, restarts: 300_000 };

// On a fresh pipeline, the generator's expected figures are the whole document's: counts, revenue (MRR per
// currency, the movements of every day the run touched) and at least its users today. The generator checked
// its own run's change already (metrics_checks); this compares the totals independently.
async function expectNumbersMatch(opsUrl: string, summary: GeneratorSummary): Promise<void> {
  await waitUntil(
    async () => (await metricsOf(opsUrl)).totals.processed === summary.accepted,
    60_000,
    async () => `processed ${(await metricsOf(opsUrl)).totals.processed} of ${summary.accepted} accepted`,
  );
  const metrics = await metricsOf(opsUrl);
  for (const [type, count] of Object.entries(summary.accepted_by_type))
    expect(metrics.totals.by_type[type]).toBe(count);
  expect(metrics.totals.duplicates).toBe(summary.duplicates);
  expect(revenueOf(metrics, summary)).toEqual(expectedRevenue(summary));
  expect(metrics.active_users.dau).toBeGreaterThanOrEqual(summary.expected_active_users_today);
  expect(summary.metrics_checks.filter((check) => !check.passed)).toEqual([]);
}

describe('npm run orchestrate end to end (real processes)', () => {
  afterEach(killAppProcesses);

  it(
    'in memory mode (DAY15_USE_MOCK_REDIS=true wins over auto): runs the whole pipeline in one supervised child, every generator scenario passes, numbers match',
    async () => {
      const { orchestrator, url, ops, log } = await startOrchestrator({
        DAY15_USE_MOCK_REDIS: 'true',
        DAY15_FX_RATES: 'EUR=1.08,GBP=1.27',
      });
      const startup = orchestrator.lines.join('\n');
      expect(startup).toMatch(/Mode: in-memory .*one process/);
      expect(startup).toMatch(/Why this mode: DAY15_USE_MOCK_REDIS=true;/);
      expect(startup).not.toMatch(/Started redis /);
      expect(startup).toContain(`Webhook endpoint: ${url}/webhook/events`);
      expect(startup).toContain(`Ops listener (no credentials, this machine only): dashboard ${ops.url}/dashboard`);
      const { code, summary, output } = await runGenerator(url, ops.env);
      expect(code).toBe(0);
      expect(output).toContain('1 accepted, 2 ignored as duplicates');
      expect(summary.scenarios.every((s) => s.passed)).toBe(true);
      await expectNumbersMatch(ops.url, summary);
      // With rates, the lifecycle's EUR and GBP customers count in MRR and in its movements over four days.
      expect(Object.keys(summary.expected_mrr_by_currency).sort()).toEqual(['EUR', 'GBP', 'USD']);
      expect(summary.expected_unconverted).toEqual({});
      expect(summary.expected_movements).toHaveLength(4);

      const [pipelinePid] = pidsOf(orchestrator, 'pipeline');
      orchestrator.child.kill('SIGTERM');
      expect(await orchestrator.exited).toBe(0);
      expect(isAlive(pipelinePid!)).toBe(false);
      expect(log()).toMatch(
        /\[orchestrator\] .* - INFO - orchestrator - Day 15 - Real-Time Analytics Orchestrator[\s\S]*\[pipeline\] .* - INFO - consumer - Processing batch of[\s\S]*\[orchestrator\] .* - INFO - orchestrator - All processes stopped/,
      );
      // One format in the merged log: the orchestrator's own lines come from libs/logging, like its children's.
      const ownLines = log()
        .split('\n')
        .filter((line) => line.startsWith('[orchestrator] '));
      expect(ownLines.length).toBeGreaterThan(10);
      for (const line of ownLines)
        expect(line).toMatch(
          /^\[orchestrator\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - (INFO|WARN|ERROR) - orchestrator - \S/,
        );
    },
    timeoutMs.pipeline,
  );

  it(
    'in Redis mode: restarts a kill -9ed consumer and receiver, loses no accepted event, and stops cleanly',
    async () => {
      // A fresh key prefix per start attempt: an attempt whose port was taken may already have counted restarts.
      const { orchestrator, url, ops, log, logged } = await startOrchestrator(
        {
          DAY15_USE_MOCK_REDIS: 'false',
          DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '',
          DAY15_CONSUMER_COUNT: '2',
          DAY15_LEASE_SECONDS: '2',
        },
        async () => ({ DAY15_KEY_PREFIX: uniquePrefix('e2e') }),
      );
      const first = await runGenerator(url, ops.env);
      expect(first.code).toBe(0);
      await expectNumbersMatch(ops.url, first.summary);
      // Without rates (the default), EUR and GBP are listed apart and left out of MRR and movements.
      expect(Object.keys(first.summary.expected_unconverted).sort()).toEqual(['EUR', 'GBP']);

      const [consumerPid] = pidsOf(orchestrator, 'consumer-1');
      const [receiverPid] = pidsOf(orchestrator, 'receiver');
      process.kill(consumerPid!, 'SIGKILL');
      process.kill(receiverPid!, 'SIGKILL');
      await waitUntil(
        async () => pidsOf(orchestrator, 'consumer-1').length === 2 && pidsOf(orchestrator, 'receiver').length === 2,
        60_000,
        () => ({ 'consumer-1': pidsOf(orchestrator, 'consumer-1'), receiver: pidsOf(orchestrator, 'receiver') }),
      );
      // Seen on the orchestrator's stdout does not mean flushed to its log file yet: wait for the file.
      await logged(/WARN - orchestrator - consumer-1 exited unexpectedly \(signal SIGKILL\); restarting in 500 ms/);
      await waitUntil(
        async () => (await fetch(`${url}/health`).catch(() => undefined))?.status === 200,
        60_000,
        'GET /health answers 200 again',
      );

      await waitUntil(
        async () => {
          const { restarts } = (await metricsOf(ops.url)).pipeline;
          return restarts['consumer-1'] === 1 && restarts.receiver === 1;
        },
        30_000,
        async () => (await metricsOf(ops.url)).pipeline.restarts,
      );
      const second = await runGenerator(url, ops.env, 'batch');
      expect(second.code).toBe(0);
      await waitUntil(
        async () => (await metricsOf(ops.url)).totals.processed === first.summary.accepted + second.summary.accepted,
        60_000,
        async () =>
          `processed ${(await metricsOf(ops.url)).totals.processed} of ${first.summary.accepted + second.summary.accepted} accepted`,
      );

      const children = [
        ...pidsOf(orchestrator, 'receiver'),
        ...pidsOf(orchestrator, 'consumer-1'),
        ...pidsOf(orchestrator, 'consumer-2'),
      ];
      orchestrator.child.kill('SIGTERM');
      expect(await orchestrator.exited).toBe(0);
      expect(children.filter(isAlive)).toEqual([]);
      expect(log()).toMatch(/\[receiver\] /);
      expect(log()).toMatch(/\[consumer-2\] /);
    },
    timeoutMs.restarts,
  );

  it(
    'leaves no orphan when the orchestrator itself is killed with kill -9',
    async () => {
      const { orchestrator } = await startOrchestrator({ DAY15_USE_MOCK_REDIS: 'true' });
      const [pipelinePid] = pidsOf(orchestrator, 'pipeline');
      orchestrator.child.kill('SIGKILL');
      await waitUntil(async () => !isAlive(pipelinePid!), 30_000, `pipeline (pid ${pipelinePid}) gone`);
    },
    timeoutMs.pipeline,
  );

  it(
    'with DAY15_REDIS_EMBEDDED=true starts its own append-only redis-server and processes events',
    async () => {
      // A fresh Redis port per start attempt (a free port can be taken before redis-server binds it).
      const redisPorts: number[] = [];
      try {
        const { orchestrator, url, ops } = await startOrchestrator(
          { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_EMBEDDED: 'true' },
          async () => {
            redisPorts.push(await freePort());
            return { DAY15_REDIS_PORT: String(redisPorts.at(-1)) };
          },
        );
        expect(orchestrator.lines.join('\n')).toMatch(
          /Started redis \(pid \d+\)[\s\S]*Mode: Redis at 127\.0\.0\.1:(\d+)\/0 \(embedded redis-server, append-only, data\/redis\/port-\1\/\)/,
        );
        const { code, summary } = await runGenerator(url, ops.env, 'basic');
        expect(code).toBe(0);
        expect(summary.accepted).toBe(5);
        orchestrator.child.kill('SIGTERM');
        expect(await orchestrator.exited).toBe(0);
      } finally {
        for (const port of redisPorts) rmSync(`data/redis/port-${port}`, { recursive: true, force: true });
      }
    },
    timeoutMs.pipeline,
  );

  it(
    'in Redis mode with Redis not up yet: starts its children anyway (503s, not ready, warnings every 5 s), then processes events once Redis starts, with no restart',
    async () => {
      // A Redis port per start attempt, where no Redis runs until the redis-server below starts on it.
      let redisPort = 0;
      let redis: RedisServer | undefined;
      try {
        const { orchestrator, url, ops, log, logged } = await startOrchestrator(
          { DAY15_USE_MOCK_REDIS: 'false', DAY15_CONSUMER_COUNT: '2' },
          async () => {
            redisPort = await freePort();
            return { DAY15_REDIS_URL: `redis://127.0.0.1:${redisPort}`, DAY15_KEY_PREFIX: uniquePrefix('e2e') };
          },
        );
        const webhook = await fetch(`${url}/webhook/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            event_id: `evt_outage_${Date.now()}`,
            event_type: 'user_signup',
            user_id: 'user_abc123',
            timestamp: '2026-11-26T10:00:00Z',
            metadata: { source: 'organic', email: 'test@example.com' },
          }),
        });
        expect([webhook.status, webhook.headers.get('retry-after')]).toEqual([503, '1']);
        expect((await fetch(`${url}/readyz`)).status).toBe(503);
        expect((await fetch(`${url}/livez`)).status).toBe(200);

        // The deliberate outage: Redis stays away for 10 s while everything runs.
        await sleep(10_000);
        const waiting = (name: string) =>
          new RegExp(
            `\\[${name}\\] .* - WARN - ${name.replace(/-\d+$/, '')} - Redis at redis://127\\.0\\.0\\.1:${redisPort} is unreachable.*Hint: start Redis \\(redis-server\\)`,
          );
        for (const name of ['orchestrator', 'receiver', 'consumer-1', 'consumer-2']) await logged(waiting(name));

        redis = await startRedisServer({ port: redisPort });
        await waitUntil(
          async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
          timeoutMs.short,
          'GET /readyz answers 200 once Redis is up',
        );
        const { code, summary } = await runGenerator(url, ops.env, 'basic');
        expect(code).toBe(0);
        expect(summary.accepted).toBe(5);
        await expectNumbersMatch(ops.url, summary);
        await logged(/\[orchestrator\] .* - INFO - orchestrator - Redis at .* is reachable/);

        for (const name of ['receiver', 'consumer-1', 'consumer-2']) expect(pidsOf(orchestrator, name)).toHaveLength(1);
        expect(log()).not.toMatch(/exited unexpectedly|Start-up failed/);
        orchestrator.child.kill('SIGTERM');
        expect(await orchestrator.exited).toBe(0);
      } finally {
        await redis?.stop();
      }
    },
    timeoutMs.pipeline,
  );

  it(
    'refuses a malformed setting before starting anything',
    async () => {
      const orchestrator = startAppProcess('scripts/orchestrator/main.ts', { DAY15_CONSUMER_COUNT: 'many' });
      expect(await orchestrator.exited).toBe(1);
      expect(orchestrator.lines.join('\n')).toContain(
        'DAY15_CONSUMER_COUNT="many" is not allowed: expected an integer from 1 to 32',
      );
    },
    timeoutMs.short,
  );
});
