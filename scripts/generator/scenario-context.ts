import type { ExpectedMetrics } from './expected-metrics.js';
import type { SyntheticEvent, SyntheticEvents } from './synthetic-events.js';
import type { Reply, WebhookClient } from './webhook-client.js';

export interface ScenarioContext {
  client: WebhookClient;
  events: SyntheticEvents;
  say: (line: string) => void;
  /** Tallies of what the receiver accepted, for the final check against /api/metrics. */
  tally: Tally;
  /**
   * Waits until the pipeline has processed every event accepted so far, then starts the next phase of
   * `events` (see SyntheticEvents); false when the wait timed out.
   */
  settle: () => Promise<boolean>;
}

export type Scenario = (context: ScenarioContext) => Promise<boolean>;

/**
 * What the receiver answered for the events sent so far: accepted (in total and by type) and duplicates.
 * Each accepted event also goes to `expected`, which works out what the analytics must show.
 */
export class Tally {
  accepted = 0;
  duplicates = 0;
  readonly acceptedByType: Record<string, number> = {};
  /** Events of batches that were partly duplicates: the reply does not say which, so `expected` misses them. */
  unattributed = 0;

  constructor(private readonly expected?: ExpectedMetrics) {}

  count(event: SyntheticEvent, verdict: 'accepted' | 'duplicate', arrivedAt = Date.now()): void {
    if (verdict === 'duplicate') {
      this.duplicates += 1;
      return;
    }
    this.accepted += 1;
    this.acceptedByType[event.event_type] = (this.acceptedByType[event.event_type] ?? 0) + 1;
    this.expected?.record(event, arrivedAt);
  }

  /** A batch the receiver answered 202 with these counts. */
  countBatch(events: readonly SyntheticEvent[], results: { accepted: number; duplicates: number }): void {
    if (results.accepted === events.length || results.duplicates === events.length) {
      for (const event of events) this.count(event, results.accepted === events.length ? 'accepted' : 'duplicate');
      return;
    }
    this.accepted += results.accepted;
    this.duplicates += results.duplicates;
    this.unattributed += events.length;
  }
}

/** Posts one event, tallies and prints the answer. */
export async function sendOne(ctx: ScenarioContext, event: SyntheticEvent): Promise<Reply> {
  const reply = await ctx.client.postEvent(event);
  const verdict = reply.status === 202 ? 'accepted' : reply.status === 200 ? 'duplicate' : undefined;
  if (verdict) ctx.tally.count(event, verdict);
  ctx.say(
    `  ${event.event_type} (${event.event_id}) -> ${reply.status} ${String(reply.body.status ?? reply.body.error)} in ${reply.latencyMs.toFixed(1)} ms`,
  );
  return reply;
}
