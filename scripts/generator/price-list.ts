import { monthlyCents } from '../../libs/analytics/index.js';

/**
 * The synthetic SaaS's plans, list price a month, the same figures in every currency. `team` costs what
 * `premium` costs, so a move between them is a plan change at the same price (no MRR movement).
 */
export const plans = { free: 0, basic: 29, premium: 99, team: 99, enterprise: 499 } as const;
export type Plan = keyof typeof plans;

/** One way to pay for a plan: what a subscription event carries, and the monthly value the analytics count. */
export interface Price {
  plan: Plan;
  cycle: 'monthly' | 'annual';
  /** The amount billed: a month's price, or a year's at 20 % off. */
  amount: number;
  /** Monthly value in cents, by the pipeline's own rule (annual: amount / 12). */
  cents: number;
}

/**
 * A plan change relative to the current price: a higher (`up`) or lower (`down`) monthly value, the `same`
 * value on another plan, `any` other price, or `keep` the price (to change only the currency).
 */
export type PlanChange = 'up' | 'down' | 'same' | 'any' | 'keep';

/** Every price on the list: each paid plan monthly and annually, the free plan monthly. */
export const prices: readonly Price[] = (Object.keys(plans) as Plan[]).flatMap((plan) =>
  (plans[plan] === 0 ? (['monthly'] as const) : (['monthly', 'annual'] as const)).map((cycle) => {
    const amount = cycle === 'annual' ? Math.round(plans[plan] * 12 * 0.8 * 100) / 100 : plans[plan];
    return { plan, cycle, amount, cents: monthlyCents(amount, cycle) };
  }),
);

/** The prices a subscription at `current` can change to. */
export function pricesFor(current: Price, change: PlanChange): Price[] {
  return prices.filter((price) => {
    const other = price.plan !== current.plan || price.cycle !== current.cycle;
    if (change === 'up') return price.cents > current.cents;
    if (change === 'down') return price.cents < current.cents;
    if (change === 'same') return price.cents === current.cents && price.plan !== current.plan;
    return change === 'keep' ? !other : other;
  });
}

/** Whether a subscription at `price` can make `change` (the top price has no upgrade, the free plan no downgrade). */
export const canChange = (price: Price, change: PlanChange): boolean => pricesFor(price, change).length > 0;
