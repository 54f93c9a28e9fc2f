import { randomBytes } from 'node:crypto';
import { monthlyCents } from '../../libs/analytics/index.js';

export type SyntheticEvent = Record<string, unknown> & { event_id: string; event_type: string };

const plans = { free: 0, basic: 29, premium: 99, enterprise: 499 } as const;
type Plan = keyof typeof plans;
const sources = ['organic', 'google_ads', 'referral', 'social', 'partner'];
const countries = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'CA'];
const features = ['api_calls', 'reports', 'exports', 'dashboards', 'storage'];
const companies = ['Acme Inc', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries'];
const reasons = ['too_expensive', 'missing_features', 'switched_provider', 'no_longer_needed'];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/**
 * Realistic SaaS events that tell a consistent story: users sign up, subscribe, change plans, use
 * features and cancel. It remembers what it sent, so it knows the MRR the analytics must show.
 */
export class SyntheticEvents {
  private readonly users: string[] = [];
  private readonly subscriptions = new Map<string, { cents: number; active: boolean }>();
  private clock = Date.now();

  signup(): SyntheticEvent {
    const userId = `user_${randomBytes(4).toString('hex')}`;
    this.users.push(userId);
    return this.event('user_signup', userId, {
      source: pick(sources),
      country: pick(countries),
      company: pick(companies),
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
    return this.event('subscription_cancelled', userId, { reason: pick(reasons) });
  }

  usage(userId: string | undefined): SyntheticEvent {
    return this.event('usage_tracked', userId, {
      feature: pick(features),
      quantity: 1 + Math.floor(Math.random() * 500),
      duration_ms: Math.floor(Math.random() * 5000),
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
    const roll = Math.random();
    const unsubscribed = this.users.filter((user) => !this.subscriptions.has(user));
    const active = [...this.subscriptions.entries()].filter(([, sub]) => sub.active).map(([user]) => user);
    if (roll < 0.3 || this.users.length === 0) return this.signup();
    if (roll < 0.45 && unsubscribed.length > 0) return this.subscribe(pick(unsubscribed));
    if (roll < 0.55 && active.length > 0) return this.upgrade(pick(active));
    if (roll < 0.62 && active.length > 0) return this.cancel(pick(active));
    return this.usage(pick(this.users));
  }

  /** The MRR the analytics must show for what was generated, in currency units. */
  expectedMrr(): number {
    let cents = 0;
    for (const sub of this.subscriptions.values()) if (sub.active) cents += sub.cents;
    return cents / 100;
  }

  private planChange(type: 'subscription_created' | 'subscription_updated', userId: string): SyntheticEvent {
    const plan = pick(Object.keys(plans) as Plan[]);
    const annual = Math.random() < 0.3;
    const amount = annual ? plans[plan] * 12 * 0.8 : plans[plan];
    const billingCycle = annual ? 'annual' : 'monthly';
    this.subscriptions.set(userId, { cents: monthlyCents(amount, billingCycle), active: true });
    return this.event(type, userId, { plan, amount, billing_cycle: billingCycle, currency: 'USD' });
  }

  /** Event times strictly increase, so "last writer wins by event time" matches the order generated. */
  private event(type: string, userId: string | undefined, metadata: Record<string, unknown>): SyntheticEvent {
    this.clock = Math.max(this.clock + 1, Date.now());
    return {
      event_id: `evt_${randomBytes(8).toString('hex')}`,
      event_type: type,
      ...(userId ? { user_id: userId } : {}),
      timestamp: new Date(this.clock).toISOString(),
      metadata,
    };
  }
}
