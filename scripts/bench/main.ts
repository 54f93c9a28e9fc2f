import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { readMetrics } from '../../libs/analytics/index.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { waitForDrained, waitUntil } from '../../tools/wait.js';
import { measureArchiveCost } from './archive-cost.js';
import { startBenchProcess, type BenchProcess } from './bench-processes.js';
import { measureComparedDrain } from './compared-drain.js';
import { measureComparedIngest } from './compared-ingest.js';
import { drainDay15, drainRow, type DrainResult } from './day15-drain.js';
import { appEnv, benchQueue, drainPollMs, fmt, ingestRow, receiverOn, removeBenchArchives, say } from './harness.js';
import type { LoadResult } from './load.js';
import { driveAtRate } from './paced-load.js';
import { profileDay15 } from './profile.js';
import { measureRedisBytes, redisBytesRows } from './redis-bytes.js';
import { machineFacts, markdown, table, type BenchReport } from './report.js';
import { measureScaling } from './scaling.js';
import { targetsOf } from './targets.js';
import { drive } from './wrk.js';

// npm run bench [-- --quick] [-- --no-cluster | --cluster-only]: measures ingest (with wrk as the load
// generator) against the bare ceiling server and the Express 5 + BullMQ reference, drain against the
// reference's worker, the archive's cost (archive-cost.ts) and end-to-end latency, each on private
// redis-servers in the same run; then ingest and drain on a private local Redis Cluster with 1, 3 and 6
// partitions against single Redis (scaling.ts), and writes docs/benchmarks.md + .json.
const quick = process.argv.includes('--quick');
// --no-cluster skips the Redis Cluster scaling rows; --cluster-only measures only them (written to
// logs/bench-cluster.*, not to docs/).
const clusterOnly = process.argv.includes('--cluster-only');
const withCluster = !process.argv.includes('--no-cluster');
const plan = quick
  ? {
      seconds: 1,
      warmupSeconds: 1,
      runs: 1,
      connections: [16],
      batchSizes: [100],
      drainEvents: 5000,
      drainBatch: 500,
      otherDrainBatches: [],
      archivePairs: 1,
      e2eSeconds: 3,
      e2eRate: 500,
      bytesEvents: 5000,
      profile: false,
    }
  : {
      seconds: 10,
      // Long enough that the first of the runs taken in turns is not slower than the others (with 1 s it was:
      // the processes' JIT and Redis's allocator were still warming up).
      warmupSeconds: 5,
      runs: 3,
      connections: [16, 64],
      batchSizes: [100, 1000],
      drainEvents: 200_000,
      // The batch size of the drain compared with BullMQ, of the 2-consumer row, the archive and cluster rows.
      drainBatch: 500,
      // Drained once each, not compared: how the batch size matters.
      otherDrainBatches: [10, 100],
      archivePairs: 3,
      e2eSeconds: 30,
      e2eRate: 5000,
      bytesEvents: 50_000,
      // Profiled runs of the receiver and the consumer, apart from the measured ones (the profiler costs).
      profile: true,
    };

async function main(): Promise<void> {
  const report: BenchReport = {
    mode: clusterOnly ? 'cluster-only' : quick ? 'quick' : 'full',
    targets: [],
    started_at: new Date().toISOString(),
    machine: machineFacts(),
    settings: {
      'load generator': 'wrk (2 threads), except the end-to-end run (autocannon, for its fixed rate)',
      ...(clusterOnly ? {} : { 'runs per compared figure': `${plan.runs}, taken in turns` }),
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
    if (!clusterOnly && plan.profile) {
      say('profiles: the receiver under single-event load and a consumer draining, with node --cpu-prof');
      report.profiles = await profileDay15({ seconds: plan.seconds, events: plan.drainEvents, top: 12 });
    }
    if (withCluster) await measureScaling({ plan, report, started });
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

// The figures on private redis-servers: ingest (bare ceiling, Day15, the BullMQ reference; AOF, replica and
// WAIT), drain (Day15 at several batch sizes, against the BullMQ reference, with 2 consumers), the archive's
// cost and end-to-end latency.
async function measureSingleRedis(report: BenchReport, started: BenchProcess[]): Promise<void> {
  const servers: RedisServer[] = [];
  const start = async (args: string[] = []) => {
    const server = await startRedisServer({ args });
    servers.push(server);
    return server;
  };
  let client: Redis | undefined;
  try {
    const redis = await start();
    client = new Redis(redis.url);
    const bullmqRedis = await start();
    say('ingest: bare ceiling, Day15 and Express 5 + BullMQ, taking turns, each on a redis-server of its own');
    const ingest = await measureComparedIngest({
      plan,
      redis: { bare: await start(), day15: redis, bullmq: bullmqRedis },
      report,
      started,
    });

    say('single-event ingest with AOF on (appendfsync always)');
    const oursAof = await receiverOn(
      await start(['--appendonly', 'yes', '--appendfsync', 'always']),
      'receiver-aof',
      'bench-aof',
    );
    started.push(oursAof.process);
    const aofResult = await singleEventRun(oursAof.url);
    report.raw.single_16_aof_always = aofResult;
    report.rows.push(ingestRow('single event, 16 conn, Day15 receiver, AOF always', aofResult));
    await oursAof.process.stop();

    say('single-event ingest with a replica: without WAIT, then WAIT 1 (DAY15_REDIS_WAIT_REPLICAS=1)');
    // An empty dataset, sent at once (not after the default 5 s wait for more replicas): the sync takes no time.
    await client.flushall();
    await client.config('SET', 'repl-diskless-sync-delay', '0');
    const replica = await start(['--replicaof', '127.0.0.1', String(redis.port)]);
    const replicaClient = new Redis(replica.url);
    await waitUntil(
      async () => /master_link_status:up/.test(await replicaClient.info('replication')),
      30_000,
      'the replica in sync',
    );
    replicaClient.disconnect();
    const noWait = await receiverOn(redis, 'receiver-replicated', 'bench-replicated');
    started.push(noWait.process);
    const noWaitResult = await singleEventRun(noWait.url);
    await noWait.process.stop();
    const wait1 = await receiverOn(redis, 'receiver-wait1', 'bench-wait1', { DAY15_REDIS_WAIT_REPLICAS: '1' });
    started.push(wait1.process);
    const wait1Result = await singleEventRun(wait1.url);
    await wait1.process.stop();
    // The later figures are measured without a replica, as before this comparison was added.
    await replica.stop();
    report.raw.single_16_replica_no_wait = noWaitResult;
    report.raw.single_16_replica_wait_1 = wait1Result;
    report.rows.push(
      ingestRow('single event, 16 conn, Day15 receiver, 1 replica, no WAIT', noWaitResult),
      ingestRow(
        'single event, 16 conn, Day15 receiver, 1 replica, WAIT 1',
        wait1Result,
        `, ${fmt(wait1Result.eventsPerSecond / Math.max(1, noWaitResult.eventsPerSecond), 2)} x no WAIT`,
      ),
    );

    for (const batchSize of plan.otherDrainBatches) {
      say(`consumer drain, batch size ${batchSize}`);
      await drainOnce(redis, client, started, report, batchSize, 1);
    }
    const drain = await measureComparedDrain({
      plan: { events: plan.drainEvents, batchSize: plan.drainBatch, runs: plan.runs },
      redis: { day15: redis, bullmq: bullmqRedis },
      report,
      started,
    });
    say('consumer drain with 2 consumer processes (scale-out figure)');
    const twoConsumers = await drainOnce(redis, client, started, report, plan.drainBatch, 2);

    const archiveOnOverOff = await measureArchiveCost({
      plan: { drainEvents: plan.drainEvents, drainBatch: plan.drainBatch, pairs: plan.archivePairs },
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
    const offered = await driveAtRate({ url: e2e.url, connections: 16, seconds: plan.e2eSeconds, rate: plan.e2eRate });
    const queue = benchQueue(client, 'e2e');
    await waitForDrained(queue, { acked: offered.events, timeoutMs: 120_000, intervalMs: drainPollMs });
    const latency = (await readMetrics(queue)).latency_ms;
    report.raw.end_to_end = { offered, latency };
    report.rows.push({
      what: `end-to-end latency at ${fmt(plan.e2eRate)} events/s`,
      figure: `p50 ${fmt(latency.p50 ?? 0, 1)} ms, p99 ${fmt(latency.p99 ?? 0, 1)} ms`,
      detail:
        `received -> processed, ${fmt(offered.events)} events (${fmt(offered.eventsPerSecond)}/s accepted), ` +
        'default settings',
    });
    report.rows.push({
      what: 'consumer peak RSS (end-to-end run)',
      figure: `${fmt(consumer.peakRssMb(), 1)} MB`,
      detail: 'VmHWM',
    });
    say(`Redis bytes per event (${fmt(plan.bytesEvents)} events, on a redis-server of its own)`);
    const bytes = await measureRedisBytes(plan.bytesEvents);
    report.raw.redis_bytes = bytes;
    report.rows.push(...redisBytesRows(bytes));
    report.targets = targetsOf({
      ingest,
      drain,
      twoConsumers,
      cores: report.machine.cores,
      bytes,
      drainBatchSize: plan.drainBatch,
      endToEnd: { rate: plan.e2eRate, p99Ms: latency.p99 },
      archive: { onOverOff: archiveOnOverOff, pairs: plan.archivePairs },
    });
  } finally {
    for (const process_ of started) await process_.stop().catch(() => undefined);
    client?.disconnect();
    for (const server of servers) await server.stop();
  }
}

// A single-event run of 16 connections after a warm-up (JIT, connection pools), as the compared runs have.
async function singleEventRun(url: string): Promise<LoadResult> {
  await drive({ url, connections: 16, seconds: plan.warmupSeconds });
  return drive({ url, connections: 16, seconds: plan.seconds });
}

// One Day15 drain, not compared: `consumers` consumer processes at `batchSize`.
async function drainOnce(
  redis: RedisServer,
  client: Redis,
  started: BenchProcess[],
  report: BenchReport,
  batchSize: number,
  consumers: number,
): Promise<DrainResult> {
  const result = await drainDay15({
    redis,
    client,
    started,
    prefix: `drain${batchSize}x${consumers}`,
    events: plan.drainEvents,
    batchSize,
    consumers,
  });
  report.raw[`drain_${batchSize}_x${consumers}`] = result;
  report.rows.push(
    drainRow(`consumer drain, batch size ${batchSize}${consumers > 1 ? `, ${consumers} consumers` : ''}`, result),
  );
  return result;
}

if (clusterOnly && !withCluster) {
  console.error('--cluster-only and --no-cluster leave nothing to measure');
  process.exit(2);
}
main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
