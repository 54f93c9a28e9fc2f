import { randomBytes } from 'node:crypto';

/** One HTTP load run, from wrk (wrk.ts) or, for the paced end-to-end run, autocannon (paced-load.ts). */
export interface LoadResult {
  requestsPerSecond: number;
  /** 2xx answers x events per request, over the run's time. */
  eventsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers outside 2xx (e.g. 503 backpressure): a run with any is flagged where its figure is shown. */
  non2xx: number;
  /** Connect, read and write errors and timeouts. */
  errors: number;
  events: number;
  /** How long the run lasted, as the load generator measured it: the time the rates are over. */
  seconds: number;
}

const runTag = randomBytes(4).toString('hex');
let sequence = 0;

/** A realistic event with an id never used before (so every event is a fresh accept, not a duplicate). */
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

/** ", 3 non-2xx, 1 errors" when a run had any, so a figure measured with errors never passes unnoticed. */
export function errorNote(result: Pick<LoadResult, 'non2xx' | 'errors'>): string {
  return result.non2xx + result.errors > 0 ? `, ${result.non2xx} non-2xx, ${result.errors} errors` : '';
}
