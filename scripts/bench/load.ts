import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';

export interface LoadResult {
  requestsPerSecond: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  events: number;
  /** How long the run lasted (autocannon's measure), the time the rates are over. */
  seconds: number;
}

const runTag = randomBytes(4).toString('hex');
let sequence = 0;

/** A realistic event with an id never used before (so every request is a fresh accept, not a duplicate). */
export function benchEvent(): { event_id: string; event_type: string; user_id: string } & Record<string, unknown> {
  sequence += 1;
  return {
    event_id: `evt_bench_${runTag}_${sequence}`,
    event_type: 'usage_tracked',
    user_id: `user_${sequence % 5000}`,
    timestamp: new Date().toISOString(),
    metadata: { feature: 'api_calls', quantity: 1 + (sequence % 100), duration_ms: 120 },
  };
}

/** Drives `url` with autocannon: single events (batchSize 1) or batches, each request with unique ids. */
export async function drive({
  url,
  connections,
  seconds,
  batchSize = 1,
  overallRate,
}: {
  url: string;
  connections: number;
  seconds: number;
  batchSize?: number;
  overallRate?: number;
}): Promise<LoadResult> {
  const path = batchSize === 1 ? '/webhook/events' : '/webhook/batch';
  const result = await autocannon({
    url: `${url}${path}`,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify(
            batchSize === 1 ? benchEvent() : { events: Array.from({ length: batchSize }, benchEvent) },
          ),
        }),
      },
    ],
  });
  const okRequests = result['2xx'];
  // autocannon stops at its first 1 s sample after `seconds`, which is sometimes a whole second later (a 2 s
  // run that lasts 3 s): rates are over the time it actually ran, as it measured it.
  const elapsed = result.duration > 0 ? result.duration : seconds;
  return {
    requestsPerSecond: okRequests / elapsed,
    eventsPerSecond: (okRequests * batchSize) / elapsed,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    events: okRequests * batchSize,
    seconds: elapsed,
  };
}
