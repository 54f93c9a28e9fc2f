import { prices, pricesFor, type PlanChange, type Price } from './price-list.js';
import { randomChoices, type RandomChoices } from './random-choices.js';

export type SyntheticEvent = Record<string, unknown> & { event_id: string; event_type: string };

/** How a subscription event is made; whatever is left out is chosen at random. */
export interface SubscriptionOptions {
  /** A new subscription's price is picked among those that pass this test. */
  priceWhere?: (price: Price) => boolean;
  /** ISO 4217 code; null = no `metadata.currency` (the base). Omitted: a new subscription picks one, a change keeps its own. */
  currency?: string | null;
  /** The event's time (ms since the epoch); now when omitted. */
  at?: number;
}

const sources = ['organic', 'google_ads', 'referral', 'social', 'partner'];
const countries = ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'JP', 'CA'];
const features = ['api_calls', 'reports', 'exports', 'dashboards', 'storage'];
const companies = ['Acme Inc', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries'];
const reasons = ['too_expensive', 'missing_features', 'switched_provider', 'no_longer_needed'];

/**
 * Realistic SaaS events that tell a consistent story: users sign up, subscribe (mostly in the base currency,
 * some in EUR or GBP), upgrade, downgrade or switch plan at the same price, use features, cancel and come
 * back. Every choice (ids, users, plans, amounts...) comes from `random`: with a seeded one, the same events
 * each run, sent now.
 *
 * Phases make the analytics' MRR movements certain: within one phase a user gets at most one subscription
 * event, and the caller lets the pipeline process everything before `nextPhase()`. So however many
 * consumers process in whatever order, each user's subscription events are applied in the order sent, which
 * is also the order of their timestamps (strictly increasing per user).
 */
export class SyntheticEvents {
  private readonly users: string[] = [];
  private readonly subscriptions = new Map<string, { price: Price; currency: string | null; live: boolean }>();
  /** Each user's last subscription event: its phase and time. */
  private readonly lastChange = new Map<string, { phase: number; at: number }>();
  private phase = 0;
  private clock = Date.now();

  constructor(
    private readonly random: RandomChoices = randomChoices(),
    /** The pipeline's DAY15_BASE_CURRENCY, which some events name explicitly. */
    private readonly baseCurrency = 'USD',
  ) {}

  signup(at?: number): SyntheticEvent {
    const userId = `user_${this.random.hex(4)}`;
    this.users.push(userId);
    return this.event(
      'user_signup',
      userId,
      {
        source: this.pick(sources),
        country: this.pick(countries),
        company: this.pick(companies),
        email: `${userId}@example.com`,
      },
      at,
    );
  }

  /** A new subscription, or a re-subscription after a cancellation. */
  subscribe(userId: string, options: SubscriptionOptions = {}): SyntheticEvent {
    const previous = this.subscriptions.get(userId);
    if (previous?.live) throw new Error(`${userId} already has a live subscription`);
    const currency = options.currency === undefined ? (previous?.currency ?? this.pickCurrency()) : options.currency;
    const price = this.pick(prices.filter(options.priceWhere ?? (() => true)));
    if (price === undefined) throw new Error('no price passes priceWhere');
    return this.subscriptionEvent('subscription_created', userId, price, currency, options.at);
  }

  /** A plan change of a live subscription: `up` (expansion), `down` (contraction), `same` price, `any`, or `keep`. */
  changePlan(
    userId: string,
    change: PlanChange = 'any',
    options: Pick<SubscriptionOptions, 'currency' | 'at'> = {},
  ): SyntheticEvent {
    const current = this.subscriptions.get(userId);
    if (!current?.live) throw new Error(`${userId} has no live subscription to change`);
    const price = this.pick(pricesFor(current.price, change));
    if (price === undefined) throw new Error(`no price ${change} from ${current.price.plan} ${current.price.cycle}`);
    const currency = options.currency === undefined ? current.currency : options.currency;
    return this.subscriptionEvent('subscription_updated', userId, price, currency, options.at);
  }

  upgrade(userId: string): SyntheticEvent {
    return this.changePlan(userId, 'up');
  }

  cancel(userId: string, options: Pick<SubscriptionOptions, 'at'> = {}): SyntheticEvent {
    const at = this.claim(userId, options.at);
    const sub = this.subscriptions.get(userId);
    if (sub) sub.live = false;
    return this.event('subscription_cancelled', userId, { reason: this.pick(reasons) }, at);
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

  /** Call once everything sent so far has been processed: each user may get one more subscription event. */
  nextPhase(): void {
    this.phase += 1;
  }

  /**
   * A random next event that keeps the story consistent (only known users subscribe, only live
   * subscriptions change or end, only cancelled ones come back) and the phases (users whose subscription
   * changed in this phase are left alone).
   */
  any(): SyntheticEvent {
    const roll = this.random.fraction();
    if (roll < 0.3 || this.users.length === 0) return this.signup();
    const free = this.users.filter((user) => this.lastChange.get(user)?.phase !== this.phase);
    const unsubscribed = free.filter((user) => !this.subscriptions.has(user));
    const live = free.filter((user) => this.subscriptions.get(user)?.live === true);
    const cancelled = free.filter((user) => this.subscriptions.get(user)?.live === false);
    if (roll < 0.45 && unsubscribed.length > 0) return this.subscribe(this.pick(unsubscribed));
    if (roll < 0.55 && live.length > 0) return this.changePlan(this.pick(live));
    if (roll < 0.62 && live.length > 0) return this.cancel(this.pick(live));
    if (roll < 0.66 && cancelled.length > 0) return this.subscribe(this.pick(cancelled));
    return this.usage(this.pick(this.users));
  }

  /** A random time on the UTC day `daysAgo` days before today's, before 20:00 so a story can go on that day. */
  timeOnDay(daysAgo: number): number {
    const today = Date.now() - (Date.now() % 86_400_000);
    return today - daysAgo * 86_400_000 + Math.floor(this.random.fraction() * 20 * 3_600_000);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random.fraction() * items.length)] as T;
  }

  /** Mostly no currency (the base), some explicitly the base's code, some EUR and GBP. */
  private pickCurrency(): string | null {
    const roll = this.random.fraction();
    return roll < 0.6 ? null : roll < 0.7 ? this.baseCurrency : roll < 0.85 ? 'EUR' : 'GBP';
  }

  private subscriptionEvent(
    type: 'subscription_created' | 'subscription_updated',
    userId: string,
    price: Price,
    currency: string | null,
    at: number | undefined,
  ): SyntheticEvent {
    const time = this.claim(userId, at);
    this.subscriptions.set(userId, { price, currency, live: true });
    return this.event(
      type,
      userId,
      { plan: price.plan, amount: price.amount, billing_cycle: price.cycle, ...(currency ? { currency } : {}) },
      time,
    );
  }

  /**
   * Records a subscription event of `userId` and returns its time (`at`, or now): refuses a second one in a
   * phase, or one not later than the user's last.
   */
  private claim(userId: string, at: number | undefined): number {
    const last = this.lastChange.get(userId);
    if (last?.phase === this.phase)
      throw new Error(
        `${userId} already has a subscription event in this phase: call nextPhase() once it is processed`,
      );
    const time = at ?? this.tick();
    if (last && time <= last.at) throw new Error(`${userId}'s subscription events must have increasing timestamps`);
    this.lastChange.set(userId, { phase: this.phase, at: time });
    return time;
  }

  /** Now, or just after the last undated event: undated events' times strictly increase. */
  private tick(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }

  private event(
    type: string,
    userId: string | undefined,
    metadata: Record<string, unknown>,
    at?: number,
  ): SyntheticEvent {
    return {
      event_id: `evt_${this.random.hex(8)}`,
      event_type: type,
      ...(userId ? { user_id: userId } : {}),
      timestamp: new Date(at ?? this.tick()).toISOString(),
      metadata,
    };
  }
}
