import { lifecycle } from './lifecycle-scenario.js';
import { canChange } from './price-list.js';
import { sendOne, type Scenario } from './scenario-context.js';

/**
 * One event of each type for a new user: signup, subscribe, upgrade, usage, cancel. Each subscription
 * event waits until the one before was processed (see SyntheticEvents' phases).
 */
export const basic: Scenario = async (ctx) => {
  const { events } = ctx;
  const replies = [await sendOne(ctx, events.signup())];
  const user = events.lastUser();
  replies.push(await sendOne(ctx, events.subscribe(user, { priceWhere: (price) => canChange(price, 'up') })));
  let settled = await ctx.settle();
  replies.push(await sendOne(ctx, events.upgrade(user)), await sendOne(ctx, events.usage(user)));
  settled = (await ctx.settle()) && settled;
  replies.push(await sendOne(ctx, events.cancel(user)));
  return settled && replies.every((reply) => reply.status === 202);
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
  if (reply.status === 202 && results) ctx.tally.countBatch(sent, results);
  return reply.status === 202 && results?.accepted === 20;
};

/**
 * The named scenarios `npm run generate` runs, in order, when none is named. After each, the generator
 * waits until every accepted event is processed and starts a new phase of the events.
 */
export const scenarios = { basic, idempotency, burst, batch, lifecycle } as const;
