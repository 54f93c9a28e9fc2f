import { monthlyCents } from '../../libs/analytics/index.js';
import { randomChoices, type RandomChoices } from './random-choices.js';

export type SyntheticEvent = Record<string, unknown> & { event_id: string; event_type: string };

const plans = { free: 0, basic: 29, premium: 99, enterprise: 499 } as const;
type Plan = keyof typeof plans;
const sources = ['organic', 'google_ads', 'referral', 'social', 'partner'];
const countries = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'CA'];
const features = ['api_calls', 'reports', 'exports', 'dashboards', 'storage'];
const companies = ['Acme Inc', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries'];
const reasons = ['too_expensive', 'missing_features', 'switched_provider', 'no_longer_needed'];

/**
 * Realistic SaaS events that tell a consistent story: users sign up, subscribe, change plans, use
 * features and cancel. It remembers what it sent, so it knows the MRR the analytics must show. Every choice
 * (ids, users, plans, amounts...) comes from `random`: with a seeded one, the same events each run, sent now.
 */
export class SyntheticEvents {
  private readonly users: string[] = [];
  private readonly subscriptions = new Map<string, { cents: number; active: boolean }>();
  private clock = Date.now();

  constructor(private readonly random: RandomChoices = randomChoices()) {}

  signup(): SyntheticEvent {
    const userId = `user_${this.random.hex(4)}`;
    this.users.push(userId);
    return this.event('user_signup', userId, {
      source: this.pick(sources),
      country: this.pick(countries),
      company: this.pick(companies),
      email: `${userId}@example.com`,
    });
  }

  subscribe(userId: string): SyntheticEvent {
    return this.planChange('subscription_created', userId);
  }

  upgrade(userId: string): SyntheticEvent {
    return this.planChange('subscription_updated', userId);
  }

  cancel(userId: string): SyntheticEvent {
    const sub = this.subscriptions.get(userId);
    if (sub) sub.active = false;
    return this.event('subscription_cancelled', userId, { reason: this.pick(reasons) });
  }

  usage(userId: string | undefined): SyntheticEvent {
    return this.event('usage_tracked', userId, {
      feature: this.pick(features),
      quantity: 1 + Math.floor(this.random.fraction() * 500),
      duration_ms: Math.floor(this.random.fraction() * 5000),
    });
  }

  /** The user of the last signup. */
  lastUser(): string {
    return this.users[this.users.length - 1] ?? '';
  }

  /**
   * A random next event that keeps the story consistent: only known users subscribe, only active
   * subscriptions change or end.
   */
  any(): SyntheticEvent {
    const roll = this.random.fraction();
    const unsubscribed = this.users.filter((user) => !this.subscriptions.has(user));
    const active = [...this.subscriptions.entries()].filter(([, sub]) => sub.active).map(([user]) => user);
    if (roll < 0.3 || this.users.length === 0) return this.signup();
    if (roll < 0.45 && unsubscribed.length > 0) return this.subscribe(this.pick(unsubscribed));
    if (roll < 0.55 && active.length > 0) return this.upgrade(this.pick(active));
    if (roll < 0.62 && active.length > 0) return this.cancel(this.pick(active));
    return this.usage(this.pick(this.users));
  }

  /** The MRR the analytics must show for what was generated, in currency units. */
  expectedMrr(): number {
    let cents = 0;
    for (const sub of this.subscriptions.values()) if (sub.active) cents += sub.cents;
    return cents / 100;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random.fraction() * items.length)] as T;
  }

  private planChange(type: 'subscription_created' | 'subscription_updated', userId: string): SyntheticEvent {
    const plan = this.pick(Object.keys(plans) as Plan[]);
    const annual = this.random.fraction() < 0.3;
    const amount = annual ? plans[plan] * 12 * 0.8 : plans[plan];
    const billingCycle = annual ? 'annual' : 'monthly';
    this.subscriptions.set(userId, { cents: monthlyCents(amount, billingCycle), active: true });
    return this.event(type, userId, { plan, amount, billing_cycle: billingCycle, currency: 'USD' });
  }

  /** Event times strictly increase, so "last writer wins by event time" matches the order generated. */
  private event(type: string, userId: string | undefined, metadata: Record<string, unknown>): SyntheticEvent {
    this.clock = Math.max(this.clock + 1, Date.now());
    return {
      event_id: `evt_${this.random.hex(8)}`,
      event_type: type,
      ...(userId ? { user_id: userId } : {}),
      timestamp: new Date(this.clock).toISOString(),
      metadata,
    };
  }
}
