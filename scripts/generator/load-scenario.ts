import { percentileOfSorted } from '../../libs/analytics/index.js';
import type { ScenarioContext } from './scenario-context.js';
import type { SyntheticEvent } from './synthetic-events.js';

export interface LoadOptions {
  count: number;
  /** Events per second offered. */
  rate: number;
  /** 1 = single events to /webhook/events, more = /webhook/batch requests of this size. */
  batchSize: number;
  progress: NodeJS.WritableStream;
}

const maxInFlight = 256;

/** Offers `count` events at `rate` per second and reports verdicts and request latency percentiles. */
export async function load(ctx: ScenarioContext, { count, rate, batchSize, progress }: LoadOptions): Promise<boolean> {
  const outcome = { accepted: 0, duplicates: 0, rejected: 0, errors: 0 };
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  const showProgress = () => {
    const done = Math.round((sent / count) * 30);
    progress.write(
      `\r  [${'#'.repeat(done)}${'.'.repeat(30 - done)}] ${sent}/${count} sent, ${outcome.accepted} accepted`,
    );
  };
  const ticker = setInterval(showProgress, 200);

  const send = async (events: SyntheticEvent[]) => {
    try {
      const reply = batchSize === 1 ? await ctx.client.postEvent(events[0]) : await ctx.client.postBatch(events);
      latencies.push(reply.latencyMs);
      if (batchSize === 1) {
        if (reply.status === 202) ctx.tally.count(events[0] as SyntheticEvent, 'accepted');
        if (reply.status === 200) ctx.tally.count(events[0] as SyntheticEvent, 'duplicate');
        outcome[
          reply.status === 202
            ? 'accepted'
            : reply.status === 200
              ? 'duplicates'
              : reply.status < 500
                ? 'rejected'
                : 'errors'
        ] += 1;
        return;
      }
      if (reply.status !== 202) {
        outcome[reply.status < 500 ? 'rejected' : 'errors'] += events.length;
        return;
      }
      const results = reply.body.results as { accepted: number; duplicates: number; errors: number };
      outcome.accepted += results.accepted;
      outcome.duplicates += results.duplicates;
      outcome.rejected += results.errors;
      ctx.tally.countBatch(events, results);
    } catch {
      outcome.errors += events.length;
    }
  };

  while (sent < count) {
    const due = started + (sent / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const size = Math.min(batchSize, count - sent);
    const request = send(Array.from({ length: size }, () => ctx.events.any())).finally(() => inFlight.delete(request));
    inFlight.add(request);
    sent += size;
  }
  await Promise.all(inFlight);
  clearInterval(ticker);
  showProgress();
  progress.write('\n');

  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  ctx.say(
    `  ${count} events in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} events/s offered at ${rate}/s, batch size ${batchSize})`,
  );
  ctx.say(
    `  accepted ${outcome.accepted}, duplicates ${outcome.duplicates}, rejected ${outcome.rejected}, errors ${outcome.errors}`,
  );
  ctx.say(
    `  request latency p50 ${percentileOfSorted(sorted, 0.5).toFixed(1)} ms, p95 ${percentileOfSorted(sorted, 0.95).toFixed(1)} ms, p99 ${percentileOfSorted(sorted, 0.99).toFixed(1)} ms`,
  );
  return outcome.rejected === 0 && outcome.errors === 0;
}
