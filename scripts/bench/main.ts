import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { readMetrics } from '../../libs/analytics/index.js';
import { freePort } from '../../tools/free-port.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { waitForDrained, waitUntil } from '../../tools/wait.js';
import { measureArchiveCost } from './archive-cost.js';
import { startBenchProcess, type BenchProcess } from './bench-processes.js';
import {
  appEnv,
  benchArchiveDir,
  benchQueue,
  drainPollMs,
  fmt,
  ingestRow,
  prefill,
  receiverOn,
  removeBenchArchives,
  say,
} from './harness.js';
import { drive, type LoadResult } from './load.js';
import { machineFacts, markdown, table, type BenchReport } from './report.js';
import { measureScaling } from './scaling.js';

// npm run bench [-- --quick] [-- --no-cluster | --cluster-only]: measures ingest, drain, the archive's cost
// (archive-cost.ts) and end-to-end latency against a private redis-server, with the bare ceiling server in the
// same run, then ingest and drain on a private local Redis Cluster with 1, 3 and 6 partitions against single
// Redis (scaling.ts), and writes docs/benchmarks.md + .json.
const quick = process.argv.includes('--quick');
// --no-cluster skips the Redis Cluster scaling rows; --cluster-only measures only them (written to
// logs/bench-cluster.*, not to docs/).
const clusterOnly = process.argv.includes('--cluster-only');
const withCluster = !process.argv.includes('--no-cluster');
const plan = quick
  ? {
      seconds: 2,
      connections: [16],
      drainEvents: 5000,
      drainBatches: [100, 500],
      archivePairs: 1,
      e2eSeconds: 3,
      e2eRate: 500,
    }
  : {
      seconds: 10,
      connections: [16, 64],
      drainEvents: 200_000,
      drainBatches: [10, 100, 500],
      archivePairs: 3,
      e2eSeconds: 30,
      e2eRate: 1000,
    };
// The drain batch size of the target row, the 2-consumer row, the archive rows and the cluster rows.
const drainBatchSize = plan.drainBatches.at(-1) ?? 500;

async function main(): Promise<void> {
  const report: BenchReport = {
    mode: clusterOnly ? 'cluster-only' : quick ? 'quick' : 'full',
    targets: [],
    started_at: new Date().toISOString(),
    machine: machineFacts(),
    settings: {
      'seconds per ingest run': plan.seconds,
      'drain events': plan.drainEvents,
      ...(clusterOnly ? {} : { 'archive off/on drain pairs': plan.archivePairs }),
      ...(clusterOnly ? {} : { 'end-to-end rate': `${plan.e2eRate}/s for ${plan.e2eSeconds} s` }),
      'cluster rows': withCluster
        ? 'on a local Redis Cluster (3 primaries + 3 replicas) with 1, 3 and 6 partitions, against single Redis'
        : 'skipped (--no-cluster)',
    },
    rows: [],
    raw: {},
  };
  const m = report.machine;
  say(
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB, Node.js ${m.node}, Redis ${m.redis}, commit ${m.commit}`,
  );
  const started: BenchProcess[] = [];
  try {
    if (!clusterOnly) await measureSingleRedis(report, started);
    if (withCluster) await measureScaling({ plan: { ...plan, drainBatch: drainBatchSize }, report, started });
  } finally {
    for (const process_ of started) await process_.stop().catch(() => undefined);
    await removeBenchArchives();
  }

  console.log(table(report.rows));
  const base = clusterOnly ? 'logs/bench-cluster' : quick ? 'logs/bench-quick' : 'docs/benchmarks';
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown(report));
  say(`written: ${base}.md and ${base}.json`);
}

// The figures on one private redis-server: ingest (bare ceiling, receiver, AOF, replica and WAIT), batch
// ingest, drain and end-to-end latency.
async function measureSingleRedis(report: BenchReport, started: BenchProcess[]): Promise<void> {
  const redis = await startRedisServer();
  const redisAof = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
  const client = new Redis(redis.url);
  const replicas: RedisServer[] = [];
  try {
    say('single-event ingest: bare ceiling vs receiver');
    const barePort = await freePort();
    const bare = await startBenchProcess(
      'bare',
      'scripts/bench/bare-server.ts',
      [redis.url, String(barePort)],
      {},
      /listening/,
    );
    started.push(bare);
    const ours = await receiverOn(redis, 'receiver', 'bench');
    started.push(ours.process);
    await drive({ url: ours.url, connections: 16, seconds: 1 });
    await drive({ url: `http://127.0.0.1:${barePort}`, connections: 16, seconds: 1 });
    for (const connections of plan.connections) {
      const bareResult = await drive({ url: `http://127.0.0.1:${barePort}`, connections, seconds: plan.seconds });
      const cpuBefore = ours.process.cpuSeconds();
      const oursResult = await drive({ url: ours.url, connections, seconds: plan.seconds });
      const cpuPer10k = ((ours.process.cpuSeconds() - cpuBefore) / Math.max(1, oursResult.events)) * 10_000;
      report.raw[`single_${connections}`] = { ours: oursResult, bare: bareResult, cpu_seconds_per_10k: cpuPer10k };
      report.rows.push(
        ingestRow(`single event, ${connections} conn, bare ceiling`, bareResult),
        ingestRow(
          `single event, ${connections} conn, receiver`,
          oursResult,
          `, ${fmt(oursResult.eventsPerSecond / Math.max(1, bareResult.eventsPerSecond), 2)} x bare`,
        ),
      );
      if (connections === 16)
        report.rows.push({
          what: 'receiver CPU per 10k events',
          figure: `${fmt(cpuPer10k, 2)} s`,
          detail: 'single events, 16 connections',
        });
    }
    const bareBest = Math.max(
      ...plan.connections.map((c) => (report.raw[`single_${c}`] as { bare: LoadResult }).bare.eventsPerSecond),
    );
    report.raw.bare_ceiling_events_per_second = bareBest;
    report.rows.push({
      what: 'receiver peak RSS, single-event load',
      figure: `${fmt(ours.process.peakRssMb(), 1)} MB`,
      detail: 'VmHWM after the single-event runs',
    });
    await bare.stop();

    say('single-event ingest with AOF on (appendfsync always)');
    const oursAof = await receiverOn(redisAof, 'receiver-aof', 'bench-aof');
    started.push(oursAof.process);
    const aofResult = await drive({ url: oursAof.url, connections: 16, seconds: plan.seconds });
    report.raw.single_16_aof_always = aofResult;
    report.rows.push(ingestRow('single event, 16 conn, receiver, AOF always', aofResult));
    await oursAof.process.stop();

    say('single-event ingest with a replica: without WAIT, then WAIT 1 (DAY15_REDIS_WAIT_REPLICAS=1)');
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(redis.port)] });
    replicas.push(replica);
    const replicaClient = new Redis(replica.url);
    await waitUntil(
      async () => /master_link_status:up/.test(await replicaClient.info('replication')),
      30_000,
      'the replica in sync',
    );
    replicaClient.disconnect();
    const noWait = await receiverOn(redis, 'receiver-replicated', 'bench-replicated');
    started.push(noWait.process);
    const noWaitResult = await drive({ url: noWait.url, connections: 16, seconds: plan.seconds });
    await noWait.process.stop();
    const wait1 = await receiverOn(redis, 'receiver-wait1', 'bench-wait1', { DAY15_REDIS_WAIT_REPLICAS: '1' });
    started.push(wait1.process);
    const wait1Result = await drive({ url: wait1.url, connections: 16, seconds: plan.seconds });
    await wait1.process.stop();
    // The later figures are measured without a replica, as before this comparison was added.
    await replica.stop();
    report.raw.single_16_replica_no_wait = noWaitResult;
    report.raw.single_16_replica_wait_1 = wait1Result;
    report.rows.push(
      ingestRow('single event, 16 conn, receiver, 1 replica, no WAIT', noWaitResult),
      ingestRow(
        'single event, 16 conn, receiver, 1 replica, WAIT 1',
        wait1Result,
        `, ${fmt(wait1Result.eventsPerSecond / Math.max(1, noWaitResult.eventsPerSecond), 2)} x no WAIT`,
      ),
    );

    say('batch ingest');
    for (const batchSize of [100, 1000]) {
      // Each run starts from an empty Redis: nothing consumes here, and a backlog left by the previous run
      // would reach DAY15_MAX_QUEUE_DEPTH and turn ingest into 503 backpressure (seen on a fast machine).
      await client.flushdb();
      const result = await drive({ url: ours.url, connections: 8, seconds: plan.seconds, batchSize });
      report.raw[`batch_${batchSize}`] = result;
      report.rows.push(ingestRow(`batch of ${batchSize}, 8 conn, receiver`, result, ` per request`));
    }
    report.rows.push({
      what: 'receiver peak RSS, after batch load',
      figure: `${fmt(ours.process.peakRssMb(), 1)} MB`,
      detail: 'VmHWM after the 1000-event batch runs',
    });
    await ours.process.stop();

    for (const batchSize of plan.drainBatches) {
      say(`consumer drain, batch size ${batchSize}`);
      await drainRun(redis, client, started, report, batchSize, 1);
    }
    say('consumer drain with 2 consumer processes (scale-out figure)');
    await drainRun(redis, client, started, report, drainBatchSize, 2);

    await measureArchiveCost({
      plan: { drainEvents: plan.drainEvents, drainBatch: drainBatchSize, pairs: plan.archivePairs },
      redis,
      client,
      report,
      started,
    });

    say(`end-to-end latency at ${plan.e2eRate} events/s`);
    const e2e = await receiverOn(redis, 'receiver-e2e', 'e2e');
    started.push(e2e.process);
    const consumer = await startBenchProcess(
      'consumer-e2e',
      'apps/consumer/main.ts',
      [],
      appEnv(redis, 'e2e'),
      /Consumer started/,
    );
    started.push(consumer);
    const offered = await drive({ url: e2e.url, connections: 16, seconds: plan.e2eSeconds, overallRate: plan.e2eRate });
    const queue = benchQueue(client, 'e2e');
    await waitForDrained(queue, { acked: offered.events, timeoutMs: 60_000, intervalMs: drainPollMs });
    const latency = (await readMetrics(queue)).latency_ms;
    report.raw.end_to_end = { offered, latency };
    report.rows.push({
      what: `end-to-end latency at ${plan.e2eRate} events/s`,
      figure: `p50 ${fmt(latency.p50 ?? 0, 1)} ms, p99 ${fmt(latency.p99 ?? 0, 1)} ms`,
      detail: `received -> processed, ${fmt(offered.events)} events, default settings`,
    });
    report.rows.push({
      what: 'consumer peak RSS (end-to-end run)',
      figure: `${fmt(consumer.peakRssMb(), 1)} MB`,
      detail: 'VmHWM',
    });
    report.targets = targetsOf(report);
  } finally {
    for (const process_ of started) await process_.stop().catch(() => undefined);
    client.disconnect();
    await redis.stop();
    await redisAof.stop();
    for (const replica of replicas) await replica.stop();
  }
}

// Prefills the queue with realistic events, then times `consumers` consumer processes draining it.
async function drainRun(
  redis: RedisServer,
  client: Redis,
  started: BenchProcess[],
  report: BenchReport,
  batchSize: number,
  consumers: number,
): Promise<void> {
  const prefix = `drain${batchSize}x${consumers}`;
  const queue = benchQueue(client, prefix);
  await prefill(queue, plan.drainEvents);
  const env = appEnv(redis, prefix, { DAY15_BATCH_SIZE: String(batchSize) });
  const processes = await Promise.all(
    Array.from({ length: consumers }, (_, i) =>
      startBenchProcess(
        `consumer-${batchSize}-${consumers}-${i + 1}`,
        'apps/consumer/main.ts',
        [],
        env,
        /Consumer started/,
      ),
    ),
  );
  started.push(...processes);
  const ms = await waitForDrained(queue, { acked: plan.drainEvents, timeoutMs: 600_000, intervalMs: drainPollMs });
  const rate = plan.drainEvents / (ms / 1000);
  const rss = Math.max(...processes.map((p) => p.peakRssMb()));
  report.raw[`drain_${batchSize}_x${consumers}`] = {
    events: plan.drainEvents,
    ms,
    events_per_second: rate,
    peak_rss_mb: rss,
  };
  report.rows.push({
    what: `consumer drain, batch size ${batchSize}${consumers > 1 ? `, ${consumers} consumers` : ''}`,
    figure: `${fmt(rate)} events/s`,
    detail: `${fmt(plan.drainEvents)} events in ${fmt(ms / 1000, 1)} s, full analytics, peak RSS ${fmt(rss, 1)} MB`,
  });
  for (const process_ of processes) await process_.stop();
  await rm(benchArchiveDir(prefix), { recursive: true, force: true });
}

// The issue's targets next to what this run measured (absolute, and scaled to this run's bare ceiling).
function targetsOf(report: BenchReport): BenchReport['targets'] {
  const raw = report.raw as Record<
    string,
    { eventsPerSecond?: number; events_per_second?: number; p99Ms?: number } & Record<string, unknown>
  >;
  const ceiling = Number(report.raw.bare_ceiling_events_per_second);
  const scale = ceiling / 30_000;
  const yes = (ok: boolean) => (ok ? 'yes' : 'no');
  const single16 = report.raw.single_16 as { ours: LoadResult; bare: LoadResult };
  const batch = raw.batch_1000?.eventsPerSecond ?? 0;
  const drain = raw[`drain_${plan.drainBatches.at(-1)}_x1`]?.events_per_second ?? 0;
  const e2e = (report.raw.end_to_end as { latency: { p99: number | null } }).latency.p99 ?? Infinity;
  const archiveOnOverOff = (report.raw.archive_cost as { on_over_off: number }).on_over_off;
  const ratios = plan.connections.map((c) => {
    const run = report.raw[`single_${c}`] as { ours: LoadResult; bare: LoadResult };
    return run.ours.eventsPerSecond / run.bare.eventsPerSecond;
  });
  return [
    {
      target: 'single-event ingest >= 0.5 x bare',
      measured: ratios.map((r, i) => `${fmt(r, 2)} x at ${plan.connections[i]} conn`).join(', '),
      relative: 'same (already a ratio)',
      met: yes(Math.max(...ratios) >= 0.5),
    },
    {
      target: 'single-event p99 <= 10 ms at 16 conn',
      measured: `${fmt(single16.ours.p99Ms, 1)} ms (bare: ${fmt(single16.bare.p99Ms, 1)} ms)`,
      relative: 'n/a',
      met: yes(single16.ours.p99Ms <= 10),
    },
    {
      target: 'batch ingest >= 100,000 events/s',
      measured: `${fmt(batch)} events/s`,
      relative: `>= ${fmt(100_000 * scale)} events/s: ${yes(batch >= 100_000 * scale)}`,
      met: yes(batch >= 100_000),
    },
    {
      target: `consumer drain >= 30,000 events/s at batch ${plan.drainBatches.at(-1)}`,
      measured: `${fmt(drain)} events/s`,
      relative: `>= ${fmt(30_000 * scale)} events/s: ${yes(drain >= 30_000 * scale)}`,
      met: yes(drain >= 30_000),
    },
    {
      target: `consumer drain with the archive on at most 20 % slower than off, batch ${drainBatchSize}`,
      measured: `${fmt(archiveOnOverOff, 2)} x archive off (medians of ${plan.archivePairs} interleaved pairs)`,
      relative: 'same (already a ratio)',
      met: yes(archiveOnOverOff >= 0.8),
    },
    {
      target: `end-to-end p99 <= 200 ms at ${plan.e2eRate} events/s`,
      measured: `${fmt(e2e, 1)} ms`,
      relative: 'n/a',
      met: yes(e2e <= 200),
    },
    {
      target: 'receiver RSS <= 150 MB under load',
      measured: report.rows
        .filter((r) => r.what.startsWith('receiver peak RSS'))
        .map((r) => `${r.figure} (${r.what.replace('receiver peak RSS, ', '')})`)
        .join('; '),
      relative: 'n/a',
      met: yes(
        report.rows
          .filter((r) => r.what.startsWith('receiver peak RSS'))
          .every((r) => parseFloat(r.figure.replace(/,/g, '')) <= 150),
      ),
    },
  ];
}

if (clusterOnly && !withCluster) {
  console.error('--cluster-only and --no-cluster leave nothing to measure');
  process.exit(2);
}
main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
