import autocannon from 'autocannon';
import { benchEvent, type LoadResult } from './load.js';

// The one load wrk cannot give: a fixed offered rate (wrk keeps every connection busy; wrk2, which paces, is
// not packaged). The end-to-end latency row needs it, so that run alone uses autocannon, inside this process;
// at its rate autocannon needs far less CPU than the processes it measures.

/** Offers single events to `url` at `rate` per second in all for `seconds`, each with an id never used before. */
export async function driveAtRate({
  url,
  connections,
  seconds,
  rate,
}: {
  url: string;
  connections: number;
  seconds: number;
  rate: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}/webhook/events`,
    connections,
    duration: seconds,
    overallRate: rate,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(benchEvent()) }),
      },
    ],
  });
  const ok = result['2xx'];
  // autocannon stops at its first 1 s sample after `seconds`, which is sometimes a whole second later (a 2 s
  // run that lasts 3 s): rates are over the time it actually ran, as it measured it.
  const elapsed = result.duration > 0 ? result.duration : seconds;
  return {
    requestsPerSecond: ok / elapsed,
    eventsPerSecond: ok / elapsed,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    events: ok,
    seconds: elapsed,
  };
}
