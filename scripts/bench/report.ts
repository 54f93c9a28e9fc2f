import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { ProfileFrame } from './cpu-profile.js';
import type { Profiles } from './profile.js';

export interface Row {
  what: string;
  figure: string;
  detail: string;
}

export interface Target {
  target: string;
  measured: string;
  /** The target's form relative to this run's bare ceiling, where the issue gives one (for a slower machine). */
  relative: string;
  met: string;
}

/** One run of the Redis Cluster scaling part (scaling.ts): what it did, and where the CPU time went. */
export interface ScalingRun {
  configuration: string;
  partitions: number;
  run: string;
  events: number;
  events_per_second: number;
  /** events/s over the single Redis figure of the same run. */
  vs_single: number;
  /** Wall time the CPU figures cover: the measured run itself (not the warm-up, not the prefill). */
  seconds: number;
  /** CPU seconds of each Redis primary (one for single Redis). */
  primary_cpu_seconds: number[];
  replica_cpu_seconds: number;
  /** The receiver (ingest) or consumer (drain) process. */
  app_cpu_seconds: number;
  /** The load generator (wrk, ingest) and the benchmark process (polling the queue's stats in a drain). */
  bench_cpu_seconds: number;
  /** Busy share of all cores of the machine during the run, and the share idle while waiting for the disk. */
  box_busy: number;
  box_iowait: number;
  events_per_primary_cpu_second: number;
  events_per_partition: number[];
  p50_ms?: number;
  p99_ms?: number;
  non2xx?: number;
  errors?: number;
  dead?: number;
}

export interface BenchReport {
  mode: 'full' | 'quick' | 'cluster-only';
  targets: Target[];
  started_at: string;
  machine: { cpu: string; cores: number; memory_gb: number; node: string; redis: string; commit: string };
  settings: Record<string, string | number>;
  rows: Row[];
  /** The Redis Cluster scaling runs, when measured. */
  scaling?: ScalingRun[];
  /** Where the receiver, the consumer and Redis spent their time, in profiled runs apart from the measured ones. */
  profiles?: Profiles;
  raw: Record<string, unknown>;
}

/** The machine the figures were measured on (CPU, cores, memory, Node.js and Redis versions, commit). */
export function machineFacts(): BenchReport['machine'] {
  const run = (file: string, args: string[]) => {
    try {
      return execFileSync(file, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis: run('redis-server', ['--version']).replace(/^Redis server /, ''),
    commit: run('git', ['rev-parse', '--short', 'HEAD']),
  };
}

/** The rows as an aligned markdown table (what | figure | detail). */
export function table(rows: Row[]): string {
  const whatWidth = Math.max(4, ...rows.map((r) => r.what.length));
  const figureWidth = Math.max(6, ...rows.map((r) => r.figure.length));
  const line = (a: string, b: string, c: string) => `| ${a.padEnd(whatWidth)} | ${b.padEnd(figureWidth)} | ${c} |`;
  const rule = `|${'-'.repeat(whatWidth + 2)}|${'-'.repeat(figureWidth + 2)}|---|`;
  return [line('what', 'figure', 'detail'), rule, ...rows.map((r) => line(r.what, r.figure, r.detail))].join('\n');
}

/** docs/benchmarks.md: the machine, the table of figures, the targets and how the figures were measured. */
export function markdown(report: BenchReport): string {
  const m = report.machine;
  return `# Benchmarks

Measured by \`npm run bench\` (${report.mode} mode) on ${report.started_at}: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB,
Node.js ${m.node}, Redis ${m.redis}, commit ${m.commit}. The load generator, [wrk](https://github.com/wg/wrk),
runs on the same machine as everything it measures, in a process of its own (it needs a fraction of a core),
as in the figures quoted in the issues.

Settings: ${Object.entries(report.settings)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}. Every process runs with the
default configuration (log level info, one log line per event, written to \`logs/bench-*.log\`) unless a row
names a setting. Each request carries events with ids never used before, so every event is a fresh accept.

${table(report.rows)}
${report.targets.length > 0 ? targetsSection(report) : ''}${report.profiles ? profilesSection(report.profiles) : ''}${report.scaling ? scalingSection(report) : ''}
How each figure is measured:
- **load**: wrk with two threads, for the stated time and connections, running
  \`scripts/bench/wrk/single-event.lua\` (\`POST /webhook/events\`) or \`batch.lua\` (\`POST /webhook/batch\`):
  realistic events in the generator's mix (usage, signups, subscription changes, with their metadata), each
  with an id no run has used before (a tag per wrk run, the wrk thread and a counter). events/s counts 2xx
  answers over wrk's measured time; p50/p99 are wrk's request latencies. Every non-2xx answer and socket error
  is counted (the scripts' \`response()\`), and a row whose runs had any says how many. wrk keeps every
  connection busy and cannot offer a fixed rate (wrk2, which can, is not packaged), so the **end-to-end** run
  alone uses autocannon, inside the benchmark process.
- **runs taken in turns**: each compared figure is the median of its runs (see the settings), with the lowest
  and highest; the contenders take turns (bare, Day15, BullMQ, bare, Day15, BullMQ, ...), each
  run starting once the machine is quiet, so drift of a shared machine hits all alike. Ratios are of medians.
- **bare ceiling** (\`scripts/bench/bare-server.ts\`): a reference ceiling, not a product: \`node:http\` +
  \`JSON.parse\` + one \`LPUSH\`, no validation, no deduplication, no logging.
- **Express 5 + BullMQ** (\`scripts/bench/peers/\`): a reference, not a product: what a Node developer would
  hand-roll. \`express.json()\`, the same event contract as Day15 (\`validateEvent\`, ajv compiled once),
  \`queue.add\` with \`jobId: event_id\` (BullMQ's deduplication; completed jobs kept 24 h, as long as Day15
  keeps its deduplication keys; 3 attempts), answering 202, and no per-event log line (Day15 writes one, so
  the comparison errs in the reference's favour). Its worker runs 50 jobs at a time and does two counters
  per event (\`HINCRBY\` by type and a total, in one \`MULTI\`), against Day15's full analytics.
- **private Redis**: bare, Day15 and the reference each have a redis-server of their own (no persistence),
  emptied before each of their ingest runs (nothing consumes during ingest) and before each compared drain.
- **single-event and batch ingest**: nothing but the load runs; Day15 takes batches in a receiver of its own,
  so the single-event receiver's peak RSS is that of single events. **CPU per 10k events**: user + system CPU
  seconds of the Day15 receiver during its 16-connection single-event runs, per 10,000 events accepted.
- **AOF on**, **replica**, **WAIT 1**: one single-event run each against a Redis with \`appendonly yes\` and
  \`appendfsync always\`, or with a replica attached, with and without \`DAY15_REDIS_WAIT_REPLICAS=1\`.
- **consumer drain**: the queue is prefilled directly with realistic events (placed by user id, as the
  receiver places them), then one consumer process (\`apps/consumer/main.ts\`) with the stated batch size
  runs until every event is acked with its full analytics; events/s = events / time, timed from the consumer's
  start-up line (start-up excluded). The archive is on, as by default with Redis; every consumer of the
  benchmark archives to a folder of its own under the system's temp folder, deleted after the run. The
  **BullMQ worker** is timed the same way: the same events prefilled as jobs (\`addBulk\`, 1000 at a time),
  from its ready line until BullMQ counts every job completed (its counters are then checked).
- **archive off / on** (\`scripts/bench/archive-cost.ts\`, issue 16): the same drain at the stated batch size
  with \`DAY15_ARCHIVE_ENABLED=false\` and \`=true\`, taking turns (off, on, off, on, ...) so drift of the
  machine hits both alike, each run on a key prefix of its own and started once the machine is quiet; the
  rows give the median (min, max) of each and the ratio of the medians. With the archive on an ack commits
  the lines to the Redis outbox; the files are written behind it (fsync once a second), and the row says how
  long after the last ack the outbox was empty, i.e. every line on disk.
- **archive on disk per event**: the last archive-on run's day folder once its consumer stopped (open
  \`.jsonl\` parts) over its events; then gzipped by the store's own maintenance (\`maintain\` with a clock a
  day and 11 minutes ahead, so the day counts as closed), over the same events.
- **rebuild-analytics**: \`rebuildAnalytics\` (\`scripts/rebuild-analytics/rebuild.ts\`) in the benchmark
  process on that gzipped archive, with the drain's analytics live in Redis: loading the archive into DuckDB,
  replaying every event into a new generation, switching to it and deleting the old one; events/s = events
  replayed / its whole time.
- **end-to-end latency**: receiver + one consumer with default settings, autocannon offering a fixed rate
  (see **load**); p50/p99 from the Redis latency histogram (received -> processed), interpolated inside its
  buckets. The row gives the rate accepted: where it is below the rate offered, autocannon (in the
  benchmark process, on the same cores) or the receiver could not keep up, and the latency includes the
  backlog that built up.
- **peak RSS**: VmHWM of the process.
- **single Redis / cluster, N partitions** (\`scripts/bench/scaling.ts\`): the same single-event, batch-of-100
  and drain measurements, each with a fresh receiver or consumer started with \`DAY15_PARTITIONS=N\` (and
  \`DAY15_REDIS_MODE=cluster\`, \`DAY15_REDIS_CLUSTER_NODES\` for the cluster), a key prefix of its own and
  a clean Redis (FLUSHALL on every primary), after a 1 s warm-up for ingest; the drain's prefill goes
  through a \`PartitionedQueue\` with the same N. The ratio is over the single Redis figure of the same run.

Rerun: \`npm run bench\` (needs \`redis-server\`, \`redis-cli\` and \`wrk\` on PATH, e.g. \`apt-get install
redis-server wrk\`; about 18 minutes on a 2-core machine), or \`npm run bench -- --quick\` for a smoke run of
under 2 minutes, one run of each figure (written to \`logs/bench-quick.*\`, not here). \`-- --no-cluster\` leaves
out the cluster rows (about 15 minutes); \`-- --cluster-only\` measures only them (written to
\`logs/bench-cluster.*\`). Raw figures, every run included: \`docs/benchmarks.json\`.
`;
}

function targetsSection(report: BenchReport): string {
  return `
## Against the targets

The targets of issue 17 (and the archive's, issue 16), against the medians of this run. Where a target has
a form relative to this run's bare ceiling, for a slower machine, the third column judges it by that.

| target | measured | relative to this run's ceiling | met |
|---|---|---|---|
${report.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.relative} | ${t.met} |`).join('\n')}
`;
}

/** The profile measured before issue 17's optimisations, kept to compare the current one with. */
interface ProfileBaseline extends Omit<Profiles, 'redis'> {
  commit: string;
  measured_at: string;
  note: string;
  redis: Profiles['redis'];
}

function profilesSection(after: Profiles): string {
  const before = JSON.parse(
    readFileSync(new URL('./profile-baseline.json', import.meta.url), 'utf8'),
  ) as ProfileBaseline;
  const frames = (list: readonly ProfileFrame[]) =>
    list.map((f) => `${f.selfPercent.toFixed(1)} % ${f.name}${f.where ? ` (${f.where})` : ''}`);
  const side = (a: string[], b: string[]) =>
    Array.from({ length: Math.max(a.length, b.length) }, (_, i) => `| ${i + 1} | ${a[i] ?? ''} | ${b[i] ?? ''} |`).join(
      '\n',
    );
  const commands = (list: Profiles['redis']) =>
    list
      .slice(0, 8)
      .map(
        (c) =>
          `${c.command} ${c.seconds.toFixed(2)} s (${c.calls.toLocaleString('en-US')} calls, ${c.usec_per_call.toFixed(1)} µs each)`,
      );
  const table = (what: string, a: string[], b: string[]) =>
    `**${what}**\n\n| # | before (${before.commit}) | now |\n|---|---|---|\n${side(a, b)}\n`;
  return `
## Profiles

\`node --cpu-prof\` on the receiver (16 connections of single events, wrk) and on one consumer draining the
prefilled queue at batch size 500, in runs apart from the measured ones (the profiler costs a few percent),
with Redis's \`INFO commandstats\` over both (\`scripts/bench/profile.ts\`). Each line is a function's self
time (time in it, not in what it calls) as a share of the process's main thread over its whole life,
start-up and idle waits included; a native function (a system call, a V8 builtin) is named with its caller.
"Before" is the same measurement at commit ${before.commit} (${before.measured_at}): ${before.note}
(\`scripts/bench/profile-baseline.json\`).

${table('Receiver', frames(before.receiver), frames(after.receiver))}
${table('Consumer', frames(before.consumer), frames(after.consumer))}
${table("Redis, heaviest commands (a script's time includes the commands it calls, which are also counted on their own)", commands(before.redis), commands(after.redis))}`;
}

/** Cores busy outside the measured processes above which a cluster row says so (idle nodes and the kernel stay below). */
export const sharedCoresThreshold = 0.25;

/**
 * Cores busy with anything but the processes measured: the idle Redis nodes, AOF rewrites (forked children),
 * the kernel's writeback, and whatever else ran on the machine; a large figure means the run shared it.
 */
export function otherCores(r: ScalingRun, cores: number): number {
  const measured = r.primary_cpu_seconds.reduce((a, b) => a + b, 0) + r.replica_cpu_seconds;
  return r.box_busy * cores - (measured + r.app_cpu_seconds + r.bench_cpu_seconds) / Math.max(r.seconds, 1e-9);
}

// Where the CPU time of each cluster run went, so the figures can be read per primary core.
function scalingSection(report: BenchReport): string {
  const runs = report.scaling ?? [];
  const n = (x: number, digits = 0) =>
    x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const cores = (cpuSeconds: number, seconds: number) => n(cpuSeconds / Math.max(seconds, 1e-9), 2);
  const other = (r: ScalingRun) => otherCores(r, report.machine.cores);
  const line = (r: ScalingRun) => {
    const primaries = r.primary_cpu_seconds.reduce((a, b) => a + b, 0);
    const each =
      r.primary_cpu_seconds.length > 1 ? ` (${r.primary_cpu_seconds.map((c) => cores(c, r.seconds)).join(' + ')})` : '';
    return (
      `| ${r.configuration} | ${r.run} | ${n(r.events_per_second)} | ${n(r.vs_single, 2)} | ` +
      `${cores(primaries, r.seconds)}${each} | ${n(r.events_per_primary_cpu_second)} | ` +
      `${cores(r.replica_cpu_seconds, r.seconds)} | ${cores(r.app_cpu_seconds, r.seconds)} | ` +
      `${cores(r.bench_cpu_seconds, r.seconds)} | ${n(Math.max(0, other(r)), 2)} | ${n(r.box_busy * 100)} % (${n(r.box_iowait * 100)} %) | ${r.events_per_partition.map((e) => n(e)).join(' / ')} |`
    );
  };
  return `
## Scaling on a local Redis Cluster

The rows "single Redis" and "cluster, N partitions" come from a private Redis Cluster of 3 primaries and
3 replicas on this machine (\`tools/redis-cluster.js\`: every node appends to its AOF with \`appendfsync
always\`), with the queue in 1, 3 and 6 partitions (\`DAY15_PARTITIONS\`, events placed by user id), against
a single redis-server set up like one of its shards (\`appendfsync always\`, one replica), in the same run.
With 3 partitions each primary holds one (\`{events-3p0}\` ... \`{events-3p2}\` hash to slots of three
different shards), with 6 each holds two; with 1 partition the whole queue is on one shard.

**This machine has ${report.machine.cores} cores** for all six Redis nodes, the receiver or consumer and the
load generator, and all six nodes fsync every write to the same disk: these ratios show where this box
runs out of CPU (or of fsyncs), not what the design does with a core per process. The table says where
the time went, in cores (CPU seconds over the run's wall time; box busy counts all processes on all cores,
iowait the share idle while waiting for the disk; "other" is the busy cores no measured process accounts
for: idle nodes, AOF rewrites, the kernel, anything else running on the machine);
"events per primary CPU-s" is the run's events over the CPU seconds of the Redis primaries: what one fully
busy primary core gives for this work, the figure to size a bigger cluster from (the apps scale
separately, by adding receivers and consumers). It is measured at part load: a primary that gets fewer
commands per event-loop turn (a third of the load with 3 partitions) pays its per-turn costs (the fsync, the
replication write, the system calls) over fewer events, so the spread runs give the conservative figure.
On one machine more partitions cannot add cores; they only show what spreading costs. Events per
partition: where the events went, by user id (ingest: including the 1 s warm-up). Each run starts once the
machine is quiet; a row says "other cores busy" when more than ${sharedCoresThreshold} cores were busy
outside the measured processes during its run. In the batch runs that is mostly AOF rewrites (forked
children of primaries and replicas) that the run's own writes trigger: part of its cost, not a neighbour.

| configuration | run | events/s | x single Redis | primaries, cores (each) | events per primary CPU-s | replicas, cores | receiver or consumer, cores | load generator, cores | other, cores | box busy (iowait) | events per partition |
|---|---|---|---|---|---|---|---|---|---|---|---|
${runs.map(line).join('\n')}
`;
}
