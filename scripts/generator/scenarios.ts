import type { SyntheticEvent, SyntheticEvents } from './synthetic-events.js';
import type { Reply, WebhookClient } from './webhook-client.js';

export interface ScenarioContext {
  client: WebhookClient;
  events: SyntheticEvents;
  say: (line: string) => void;
  /** Tallies of what the receiver accepted, for the final check against /api/metrics. */
  tally: Tally;
}

/** What the receiver answered for the events sent so far: accepted (in total and by type) and duplicates. */
export class Tally {
  accepted = 0;
  duplicates = 0;
  readonly acceptedByType: Record<string, number> = {};

  count(event: SyntheticEvent, verdict: 'accepted' | 'duplicate'): void {
    if (verdict === 'duplicate') {
      this.duplicates += 1;
      return;
    }
    this.accepted += 1;
    this.acceptedByType[event.event_type] = (this.acceptedByType[event.event_type] ?? 0) + 1;
  }
}

export type Scenario = (context: ScenarioContext) => Promise<boolean>;

async function sendOne(ctx: ScenarioContext, event: SyntheticEvent): Promise<Reply> {
  const reply = await ctx.client.postEvent(event);
  const verdict = reply.status === 202 ? 'accepted' : reply.status === 200 ? 'duplicate' : undefined;
  if (verdict) ctx.tally.count(event, verdict);
  ctx.say(
    `  ${event.event_type} (${event.event_id}) -> ${reply.status} ${String(reply.body.status ?? reply.body.error)} in ${reply.latencyMs.toFixed(1)} ms`,
  );
  return reply;
}

/** One event of each type, for one new user: signup, subscribe, upgrade, usage, cancel. */
export const basic: Scenario = async (ctx) => {
  const { events } = ctx;
  const signup = events.signup();
  const user = events.lastUser();
  const sequence = [signup, events.subscribe(user), events.upgrade(user), events.usage(user), events.cancel(user)];
  const replies = [];
  for (const event of sequence) replies.push(await sendOne(ctx, event));
  return replies.every((reply) => reply.status === 202);
};

/** The same event three times: 1 accepted, 2 ignored as duplicates. */
export const idempotency: Scenario = async (ctx) => {
  const event = ctx.events.signup();
  const statuses = [];
  for (let i = 0; i < 3; i += 1) statuses.push((await sendOne(ctx, event)).status);
  const accepted = statuses.filter((status) => status === 202).length;
  const ignored = statuses.filter((status) => status === 200).length;
  ctx.say(`  ${accepted} accepted, ${ignored} ignored as duplicates`);
  return accepted === 1 && ignored === 2;
};

/** 50 random events, 10 in flight at a time. */
export const burst: Scenario = async (ctx) => {
  const pending = Array.from({ length: 50 }, () => ctx.events.any());
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let event = pending.shift(); event; event = pending.shift())
        statuses.push((await sendOne(ctx, event)).status);
    }),
  );
  return statuses.length === 50 && statuses.every((status) => status === 202);
};

/** 20 random events in one /webhook/batch request. */
export const batch: Scenario = async (ctx) => {
  const sent = Array.from({ length: 20 }, () => ctx.events.any());
  const reply = await ctx.client.postBatch(sent);
  const results = reply.body.results as { accepted: number; duplicates: number; errors: number } | undefined;
  ctx.say(
    `  batch of 20 -> ${reply.status} ${JSON.stringify(results ?? reply.body)} in ${reply.latencyMs.toFixed(1)} ms`,
  );
  if (reply.status === 202) for (const event of sent) ctx.tally.count(event, 'accepted');
  return reply.status === 202 && results?.accepted === 20;
};

/** The named scenarios `npm run generate` runs, in order, when none is named. */
export const scenarios = { basic, idempotency, burst, batch } as const;
