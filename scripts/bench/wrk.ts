import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadResult } from './load.js';

// HTTP load from wrk (a C program, in a process of its own) with the Lua scripts in ./wrk/: unlike a load
// generator inside this Node process, it leaves the measured processes the CPU they can use, so on a
// 2-core machine the figures measure them, not the generator.

const scripts = fileURLToPath(new URL('./wrk/', import.meta.url));
// Every wrk run gets a tag of its own in its event ids: runs against the same receiver never send a duplicate.
const benchTag = randomBytes(4).toString('hex');
let runs = 0;

/** What wrk/events.lua prints from done(); latencies in microseconds. */
interface WrkSummary {
  duration_us: number;
  requests: number;
  non2xx: number;
  socket_errors: number;
  timeouts: number;
  latency_us: { p50: number; p90: number; p99: number; max: number };
}

/**
 * Drives `url` with wrk for `seconds`: single events (`POST /webhook/events`, batchSize 1) or batches
 * (`POST /webhook/batch`), every event realistic and with an id never used before.
 */
export async function drive({
  url,
  connections,
  seconds,
  batchSize = 1,
}: {
  url: string;
  connections: number;
  seconds: number;
  batchSize?: number;
}): Promise<LoadResult> {
  runs += 1;
  const single = batchSize === 1;
  const args = [
    // Two threads: one busy thread cannot cap the load, and wrk still needs only a fraction of a core.
    ...['--threads', String(Math.min(connections, 2)), '--connections', String(connections)],
    ...['--duration', `${seconds}s`, '--timeout', '10s'],
    ...['--script', `${scripts}${single ? 'single-event.lua' : 'batch.lua'}`],
    `${url}${single ? '/webhook/events' : '/webhook/batch'}`,
    ...['--', `${benchTag}r${runs}`, String(batchSize)],
  ];
  const { stdout } = await promisify(execFile)('wrk', args, { maxBuffer: 1 << 20 });
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '));
  if (line === undefined) throw new Error(`wrk printed no WRK_RESULT line:\n${stdout}`);
  const summary = JSON.parse(line.slice('WRK_RESULT '.length)) as WrkSummary;
  const elapsed = summary.duration_us / 1e6;
  const ok = summary.requests - summary.non2xx;
  const ms = (us: number) => us / 1000;
  return {
    requestsPerSecond: ok / elapsed,
    eventsPerSecond: (ok * batchSize) / elapsed,
    p50Ms: ms(summary.latency_us.p50),
    p90Ms: ms(summary.latency_us.p90),
    p99Ms: ms(summary.latency_us.p99),
    maxMs: ms(summary.latency_us.max),
    non2xx: summary.non2xx,
    errors: summary.socket_errors + summary.timeouts,
    events: ok * batchSize,
    seconds: elapsed,
  };
}
