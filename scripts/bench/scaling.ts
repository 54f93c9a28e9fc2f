import { startRedisCluster, type RedisCluster } from '../../tools/redis-cluster.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { waitForDrained, waitUntil } from '../../tools/wait.js';
import {
  cpuSecondsOfPid,
  cpuSecondsOfThisProcessAndExitedChildren,
  startBenchProcess,
  type BenchProcess,
} from './bench-processes.js';
import {
  appEnv,
  benchClient,
  benchQueue,
  drainPollMs,
  fmt,
  ingestRow,
  machineTicks,
  prefill,
  receiverOn,
  say,
  settle,
  type BenchClient,
  type RedisTarget,
} from './harness.js';
import type { LoadResult } from './load.js';
import { otherCores, sharedCoresThreshold, type BenchReport, type Row, type ScalingRun } from './report.js';
import { drive } from './wrk.js';

// Issue 14, item 6: ingest and drain on a private local Redis Cluster (3 primaries + 3 replicas) with the
// queue in 1, 3 and 6 partitions, against single Redis in the same run. Every node of the cluster keeps an
// append-only file fsynced on every write and has a replica (tools/redis-cluster.js), so the single Redis
// it is compared with is set up like one shard: appendfsync always and one replica. Each run also records
// the CPU every process used, so the figures can be read per primary core: this machine runs all six
// nodes, the apps and the load generator on its few cores, and the ratios show its limit, not the design's.

export interface ScalingPlan {
  seconds: number;
  drainEvents: number;
  drainBatch: number;
}

interface Configuration {
  key: string;
  label: string;
  target: RedisTarget;
  client: BenchClient;
  partitions: number;
  /** Pids of the Redis processes serving the queue's slots, and of their replicas. */
  roles(): Promise<{ primaries: number[]; replicas: number[] }>;
}

interface CpuUse {
  seconds: number;
  /** CPU seconds of each primary, of all replicas, of the measured app, of the load generator (wrk) and this process. */
  primaries: number[];
  replicas: number;
  app: number;
  bench: number;
  /** Share of the machine's CPU time that was busy (all processes, all cores), and idle waiting for the disk. */
  boxBusy: number;
  boxIowait: number;
}

interface Measured {
  run: string;
  config: Configuration;
  eventsPerSecond: number;
  events: number;
  cpu: CpuUse;
  load?: LoadResult;
  drain?: { ms: number; dead: number };
  /** Events per partition at the end of the run (ingest) or after the prefill (drain). */
  spread: number[];
}

const ingestRuns = [
  { key: 'single_16', label: 'single event, 16 conn', connections: 16, batchSize: 1 },
  { key: 'batch_100', label: 'batch of 100, 8 conn', connections: 8, batchSize: 100 },
] as const;

// Like every node of tools/redis-cluster.js, without cluster mode.
const shardArgs = ['--appendonly', 'yes', '--appendfsync', 'always', '--repl-diskless-sync-delay', '0'];

/** Adds the cluster rows to the report (and report.scaling); stops every Redis it started. */
export async function measureScaling({
  plan,
  report,
  started,
}: {
  plan: ScalingPlan;
  report: BenchReport;
  started: BenchProcess[];
}): Promise<void> {
  const servers: RedisServer[] = [];
  const clients: BenchClient[] = [];
  let cluster: RedisCluster | undefined;
  try {
    say('scaling: single Redis like one shard (appendfsync always, one replica)');
    const primary = await startRedisServer({ args: shardArgs });
    servers.push(primary);
    const replica = await startRedisServer({ args: [...shardArgs, '--replicaof', '127.0.0.1', String(primary.port)] });
    servers.push(replica);
    const single = benchClient(primary);
    clients.push(single);
    const replicaClient = benchClient(replica);
    try {
      await waitUntil(
        async () => /master_link_status:up/.test(await replicaClient.redis.info('replication')),
        30_000,
        'the replica of the single Redis in sync',
      );
    } finally {
      replicaClient.close();
    }
    say('scaling: starting a local Redis Cluster (3 primaries + 3 replicas)');
    const cluster_ = await startRedisCluster();
    cluster = cluster_;
    const clustered = benchClient(cluster_);
    clients.push(clustered);
    const clusterRoles = async () => {
      const primaryPorts = await cluster_.primaryPorts();
      const pidOf = (node: RedisServer) => node.process.pid ?? 0;
      return {
        primaries: cluster_.nodes.filter((node) => primaryPorts.includes(node.port)).map(pidOf),
        replicas: cluster_.nodes.filter((node) => !primaryPorts.includes(node.port)).map(pidOf),
      };
    };
    const configs: Configuration[] = [
      {
        key: 'single',
        label: 'single Redis',
        target: primary,
        client: single,
        partitions: 1,
        roles: async () => ({ primaries: [primary.process.pid ?? 0], replicas: [replica.process.pid ?? 0] }),
      },
      ...[1, 3, 6].map((partitions) => ({
        key: `cluster_p${partitions}`,
        label: `cluster, ${partitions} partition${partitions > 1 ? 's' : ''}`,
        target: cluster_,
        client: clustered,
        partitions,
        roles: clusterRoles,
      })),
    ];
    const measured: Measured[] = [];
    for (const config of configs) {
      for (const run of ingestRuns) {
        say(`scaling: ${run.label}, ${config.label}`);
        measured.push(await ingestRun(config, run, plan, started));
      }
      say(`scaling: consumer drain, batch size ${plan.drainBatch}, ${config.label}`);
      measured.push(await drainRun(config, plan, started));
    }
    addToReport(report, measured, plan);
  } finally {
    for (const client of clients) client.close();
    await cluster?.stop();
    for (const server of servers) await server.stop();
  }
}

async function ingestRun(
  config: Configuration,
  run: (typeof ingestRuns)[number],
  plan: ScalingPlan,
  started: BenchProcess[],
): Promise<Measured> {
  // A clean Redis and a prefix of its own for every run: no backlog reaches DAY15_MAX_QUEUE_DEPTH, and no
  // layout written with another number of partitions is ever found.
  await config.client.flush();
  const prefix = `scale-${config.key}-${run.key}`;
  const receiver = await receiverOn(config.target, `receiver-${config.key}-${run.key}`, prefix, {
    DAY15_PARTITIONS: String(config.partitions),
  });
  started.push(receiver.process);
  try {
    await settle();
    await drive({ url: receiver.url, connections: run.connections, seconds: 1, batchSize: run.batchSize });
    const cpu = await cpuMeter(config, receiver.process);
    const load = await drive({
      url: receiver.url,
      connections: run.connections,
      seconds: plan.seconds,
      batchSize: run.batchSize,
    });
    return {
      run: run.key,
      config,
      eventsPerSecond: load.eventsPerSecond,
      events: load.events,
      cpu: await cpu(),
      load,
      spread: await spreadOf(config, prefix),
    };
  } finally {
    await receiver.process.stop();
  }
}

async function drainRun(config: Configuration, plan: ScalingPlan, started: BenchProcess[]): Promise<Measured> {
  await config.client.flush();
  const prefix = `scale-${config.key}-drain`;
  const queue = benchQueue(config.client.redis, prefix, config.partitions);
  const spread = await prefill(queue, plan.drainEvents);
  await settle();
  const consumer = await startBenchProcess(
    `consumer-${config.key}`,
    'apps/consumer/main.ts',
    [],
    appEnv(config.target, prefix, {
      DAY15_BATCH_SIZE: String(plan.drainBatch),
      DAY15_PARTITIONS: String(config.partitions),
    }),
    /Consumer started/,
  );
  started.push(consumer);
  try {
    const cpu = await cpuMeter(config, consumer);
    const ms = await waitForDrained(queue, { acked: plan.drainEvents, timeoutMs: 600_000, intervalMs: drainPollMs });
    const used = await cpu();
    const stats = await queue.stats();
    return {
      run: `drain_${plan.drainBatch}`,
      config,
      eventsPerSecond: plan.drainEvents / (ms / 1000),
      events: plan.drainEvents,
      cpu: used,
      drain: { ms, dead: stats.dead },
      spread,
    };
  } finally {
    await consumer.stop();
  }
}

async function spreadOf(config: Configuration, prefix: string): Promise<number[]> {
  const queue = benchQueue(config.client.redis, prefix, config.partitions);
  return Promise.all(queue.partitions.map(async (partition) => (await partition.stats()).ready));
}

/** Starts counting CPU time; the function it returns reads what each process used since. */
async function cpuMeter(config: Configuration, app: BenchProcess): Promise<() => Promise<CpuUse>> {
  const { primaries, replicas } = await config.roles();
  const sum = (pids: number[]) => pids.reduce((total, pid) => total + cpuSecondsOfPid(pid), 0);
  const before = {
    at: performance.now(),
    primaries: primaries.map(cpuSecondsOfPid),
    replicas: sum(replicas),
    app: app.cpuSeconds(),
    bench: cpuSecondsOfThisProcessAndExitedChildren(),
    box: machineTicks(),
  };
  return async () => {
    const box = machineTicks();
    const ticks = Math.max(1, box.total - before.box.total);
    return {
      seconds: (performance.now() - before.at) / 1000,
      primaries: primaries.map((pid, i) => cpuSecondsOfPid(pid) - (before.primaries[i] ?? 0)),
      replicas: sum(replicas) - before.replicas,
      app: app.cpuSeconds() - before.app,
      bench: cpuSecondsOfThisProcessAndExitedChildren() - before.bench,
      boxBusy: (box.busy - before.box.busy) / ticks,
      boxIowait: (box.iowait - before.box.iowait) / ticks,
    };
  };
}

function addToReport(report: BenchReport, measured: Measured[], plan: ScalingPlan): void {
  const runs: { key: string; label: string; batchSize?: number }[] = [
    ...ingestRuns,
    { key: `drain_${plan.drainBatch}`, label: `consumer drain, batch size ${plan.drainBatch}` },
  ];
  const scaling: ScalingRun[] = [];
  const rows: Row[] = [];
  for (const run of runs) {
    const ofRun = measured.filter((m) => m.run === run.key);
    const baseline = ofRun.find((m) => m.config.key === 'single')?.eventsPerSecond ?? 0;
    for (const m of ofRun) {
      const isBaseline = m.config.key === 'single';
      const ratio = baseline > 0 ? m.eventsPerSecond / baseline : 0;
      const primaryCpu = m.cpu.primaries.reduce((a, b) => a + b, 0);
      const perPrimaryCpuSecond = primaryCpu > 0 ? m.events / primaryCpu : 0;
      const entry: ScalingRun = {
        configuration: m.config.label,
        partitions: m.config.partitions,
        run: run.label,
        events: m.events,
        events_per_second: m.eventsPerSecond,
        vs_single: isBaseline ? 1 : ratio,
        seconds: m.cpu.seconds,
        primary_cpu_seconds: m.cpu.primaries,
        replica_cpu_seconds: m.cpu.replicas,
        app_cpu_seconds: m.cpu.app,
        bench_cpu_seconds: m.cpu.bench,
        box_busy: m.cpu.boxBusy,
        box_iowait: m.cpu.boxIowait,
        events_per_primary_cpu_second: perPrimaryCpuSecond,
        events_per_partition: m.spread,
        ...(m.load ? { p50_ms: m.load.p50Ms, p99_ms: m.load.p99Ms, non2xx: m.load.non2xx, errors: m.load.errors } : {}),
        ...(m.drain ? { dead: m.drain.dead } : {}),
      };
      scaling.push(entry);
      // A run that shared the machine says so where its figure is read.
      const other = otherCores(entry, report.machine.cores);
      const shared = other > sharedCoresThreshold ? `; ${fmt(other, 2)} other cores busy` : '';
      const versus = isBaseline ? 'baseline: appendfsync always, 1 replica' : `${fmt(ratio, 2)} x single Redis`;
      const what = `${run.label}, ${m.config.label}`;
      if (m.load) {
        rows.push(ingestRow(what, m.load, `${(run.batchSize ?? 1) > 1 ? ' per request' : ''}, ${versus}${shared}`));
      } else if (m.drain) {
        rows.push({
          what,
          figure: `${fmt(m.eventsPerSecond)} events/s`,
          detail:
            `${fmt(m.events)} events in ${fmt(m.drain.ms / 1000, 1)} s, full analytics, ${versus}` +
            (m.drain.dead > 0 ? `, ${m.drain.dead} dead-lettered` : '') +
            shared,
        });
      }
    }
  }
  report.rows.push(...rows);
  report.scaling = scaling;
}
