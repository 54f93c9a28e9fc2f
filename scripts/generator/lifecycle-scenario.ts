import { canChange, type PlanChange, type Price } from './price-list.js';
import { sendOne, type Scenario } from './scenario-context.js';
import type { SyntheticEvent, SyntheticEvents } from './synthetic-events.js';

/** What a customer does on a later day: a plan change, a move of the billing to EUR, a cancel, a comeback. */
type Step = PlanChange | 'to EUR' | 'cancel' | 'resubscribe' | undefined;

/**
 * Ten customers' last four days. Each signs up and subscribes 3 days ago (no currency = the base, or EUR or
 * GBP); then, one step a day (2 days ago, yesterday, today), what `days` says. Between them, every MRR
 * movement: new, expansion, contraction, a plan change at the same price, a currency move, churn and
 * reactivation.
 */
const stories: { currency: string | null; days: Step[] }[] = [
  { currency: null, days: ['up'] },
  { currency: 'EUR', days: ['up', 'cancel'] },
  { currency: null, days: ['down'] },
  { currency: 'GBP', days: ['down', 'cancel', 'resubscribe'] },
  { currency: null, days: ['same'] },
  { currency: null, days: [undefined, 'cancel'] },
  { currency: 'EUR', days: [undefined, 'cancel', 'resubscribe'] },
  { currency: null, days: ['to EUR'] },
  { currency: 'GBP', days: [] },
  { currency: null, days: [] },
];
const headlines = [
  '3 days ago: 10 customers sign up and subscribe',
  '2 days ago: upgrades, downgrades, a plan change at the same price, a move to billing in EUR',
  'yesterday: cancellations',
  'today: two come back',
];
const planChanges: readonly string[] = ['up', 'down', 'same', 'any', 'keep'] satisfies PlanChange[];
const isPlanChange = (step: Step): step is PlanChange => planChanges.includes(step ?? '');
const hourMs = 3_600_000;

/**
 * The stories above, sent today but dated on their days (as a provider's late delivery or a backfill
 * would), one day per phase: the pipeline processes each day's events before the next day's are sent.
 */
export const lifecycle: Scenario = async (ctx) => {
  const { events } = ctx;
  let passed = true;
  const send = async (event: SyntheticEvent) => {
    passed = (await sendOne(ctx, event)).status === 202 && passed;
  };
  const users: string[] = [];
  ctx.say(`  ${headlines[0]}`);
  for (const { currency, days } of stories) {
    const first = days[0];
    const at = events.timeOnDay(3);
    await send(events.signup(at));
    users.push(events.lastUser());
    // A paid plan from which the first step's change is possible.
    const priceWhere = (price: Price) => price.cents > 0 && (!isPlanChange(first) || canChange(price, first));
    await send(events.subscribe(events.lastUser(), { currency, at: at + hourMs, priceWhere }));
  }
  for (let day = 1; day <= 3; day += 1) {
    passed = (await ctx.settle()) && passed;
    ctx.say(`  ${headlines[day]}`);
    for (const [i, { days }] of stories.entries()) {
      const step = days[day - 1];
      if (step) await send(stepEvent(events, users[i] ?? '', step, day === 3 ? undefined : events.timeOnDay(3 - day)));
    }
  }
  return passed;
};

function stepEvent(events: SyntheticEvents, user: string, step: NonNullable<Step>, at: number | undefined) {
  if (step === 'cancel') return events.cancel(user, { at });
  if (step === 'resubscribe') return events.subscribe(user, { at });
  if (step === 'to EUR') return events.changePlan(user, 'keep', { currency: 'EUR', at });
  return events.changePlan(user, step, { at });
}
