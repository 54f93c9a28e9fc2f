import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface Row {
  what: string;
  figure: string;
  detail: string;
}

export interface Target {
  target: string;
  measured: string;
  /** The issue's figures were set where the bare ceiling was ~30,000 events/s; this scales them to this run's ceiling. */
  relative: string;
  met: string;
}

export interface BenchReport {
  mode: 'full' | 'quick';
  targets: Target[];
  started_at: string;
  machine: { cpu: string; cores: number; memory_gb: number; node: string; redis: string; commit: string };
  settings: Record<string, string | number>;
  rows: Row[];
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
Node.js ${m.node}, Redis ${m.redis}, commit ${m.commit}. The load generator (autocannon, in the benchmark
process) runs on the same machine as everything it measures, as in the figures quoted in the issues.

Settings: ${Object.entries(report.settings)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}. Every process runs with the
default configuration (log level info, one log line per event, written to \`logs/bench-*.log\`) unless a row
names a setting. Each request carries events with ids never used before, so every event is a fresh accept.

${table(report.rows)}

## Against the targets

The targets were set on a machine where the bare ceiling server reached ~30,000 events/s; the
"scaled" column divides each throughput target by that and multiplies by this run's ceiling, so a
slower or busier machine is judged by what it can do.

| target | measured | scaled to this run's ceiling | met |
|---|---|---|---|
${report.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.relative} | ${t.met} |`).join('\n')}

How each figure is measured:
- **single-event ingest**: autocannon against \`POST /webhook/events\` for the stated time and connections; events/s
  counts 2xx answers; p50/p99 are autocannon's request latencies. The **bare server** (\`scripts/bench/bare-server.ts\`)
  is a reference ceiling, not a product: \`node:http\` + \`JSON.parse\` + one \`LPUSH\`, no validation, no
  deduplication, no logging. The ratio is ours / bare from the same run.
- **AOF on**: the same single-event run against a Redis with \`appendonly yes\` and \`appendfsync always\`.
- **batch ingest**: \`POST /webhook/batch\` with 100 or 1000 events per request.
- **consumer drain**: the queue is prefilled directly with realistic events, then one consumer process
  (\`apps/consumer/main.ts\`) with the stated batch size runs until every event is acked with its full
  analytics; events/s = events / time.
- **end-to-end latency**: receiver + one consumer with default settings, autocannon offering a fixed rate;
  p50/p99 from the Redis latency histogram (received -> processed), interpolated inside its buckets.
- **peak RSS**: VmHWM of the process; **CPU per 10k events**: user + system CPU seconds of the receiver
  during the 16-connection single-event run, per 10,000 events accepted.

Rerun: \`npm run bench\` (about 5 minutes; needs \`redis-server\` on PATH), or \`npm run bench -- --quick\` for a
smoke run under a minute (written to \`logs/bench-quick.*\`, not here). Raw figures: \`docs/benchmarks.json\`.
`;
}
