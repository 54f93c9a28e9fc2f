import { convertedMovements, monthlyCents, movementKinds, type MetricsDocument } from '../../libs/analytics/index.js';
import type { SyntheticEvent } from './synthetic-events.js';

export type MovementKind = (typeof movementKinds)[number];

/** One UTC day's movements in the base currency, as in `subscriptions.movements.by_day`. */
export type DayMovements = MetricsDocument['subscriptions']['movements']['by_day'][number];

/** What the pipeline must show for the events a run had accepted, beyond what it showed before the run. */
export interface ExpectedFigures {
  currency: string;
  /** Base-currency MRR of the live subscriptions, currencies with a rate converted, others left out. */
  mrr: number;
  mrr_by_currency: Record<string, number>;
  unconverted: Record<string, number>;
  /** The days the run's movements are dated on, oldest first; `mrr_end` is what the run adds to that day's. */
  movements: DayMovements[];
  /** Distinct users of the events that arrived on `today` (UTC): a lower bound of its DAU, WAU and MAU. */
  active_users_today: number;
}

interface Subscription {
  live: boolean;
  everLive: boolean;
  cents: number;
  currency: string;
  /** The timestamp (ms) of the last event applied: older ones are stale. */
  version: number;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const toAmount = (cents: number): number => Math.round(cents) / 100;

/**
 * The analytics a run's accepted events must produce, by the movement rules of the metrics document
 * (docs in libs/analytics): per subscription (user), new, expansion, contraction, churn and reactivation in
 * cents of the event's currency, dated on the event timestamp's UTC day; converted to the base currency
 * only when the figures are read, as the pipeline does. Fed only what the receiver accepted (duplicates
 * were processed before, by whoever sent them first).
 */
export class ExpectedMetrics {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Day -> `${kind}:${currency}` -> signed cents. */
  private readonly movements = new Map<string, Map<string, number>>();
  private readonly usersByDay = new Map<string, Set<string>>();

  constructor(private readonly baseCurrency: string) {}

  /** An event the receiver accepted; `arrivedAt` (ms) dates its user's activity, as the pipeline does. */
  record(event: SyntheticEvent, arrivedAt: number): void {
    const userId = typeof event.user_id === 'string' ? event.user_id : undefined;
    if (userId === undefined) return;
    const day = dayOf(arrivedAt);
    this.usersByDay.set(day, (this.usersByDay.get(day) ?? new Set()).add(userId));
    if (event.event_type.startsWith('subscription_')) this.applySubscription(userId, event);
  }

  /** The figures at `rates` (base units per unit of each other currency); `today` is a UTC day (YYYY-MM-DD). */
  figures(rates: Readonly<Record<string, number>>, today: string): ExpectedFigures {
    const base = this.baseCurrency;
    const live: Record<string, number> = {};
    for (const sub of this.subscriptions.values())
      if (sub.live) live[sub.currency] = (live[sub.currency] ?? 0) + sub.cents;
    const liveCents = Object.fromEntries(Object.entries(live).filter(([, cents]) => cents !== 0));
    // Converted as the pipeline converts (libs/analytics), from cents worked out here from what was sent.
    const { mrrCents, byDay: movements } = convertedMovements(
      liveCents,
      [...this.movements.keys()].sort().map((date) => ({
        date,
        cents: Object.fromEntries(this.movements.get(date) ?? []),
      })),
      { baseCurrency: base, fxRates: rates, fxRatesDate: null },
    );
    return {
      currency: base,
      mrr: toAmount(mrrCents),
      mrr_by_currency: mapAmounts(liveCents),
      unconverted: mapAmounts(
        Object.fromEntries(Object.entries(liveCents).filter(([code]) => code !== base && rates[code] === undefined)),
      ),
      movements,
      active_users_today: this.usersByDay.get(today)?.size ?? 0,
    };
  }

  private applySubscription(userId: string, event: SyntheticEvent): void {
    const version = Date.parse(String(event.timestamp));
    const old = this.subscriptions.get(userId);
    if (old && version < old.version) return;
    const day = dayOf(version);
    const move = (kind: MovementKind, cents: number, currency: string) => {
      if (cents === 0) return;
      const moves = this.movements.get(day) ?? new Map<string, number>();
      moves.set(`${kind}:${currency}`, (moves.get(`${kind}:${currency}`) ?? 0) + cents);
      this.movements.set(day, moves);
    };
    if (event.event_type === 'subscription_cancelled') {
      if (old?.live) move('churn', -old.cents, old.currency);
      const next = old ?? { everLive: false, cents: 0, currency: this.baseCurrency };
      this.subscriptions.set(userId, { ...next, live: false, version });
      return;
    }
    const meta = (event.metadata ?? {}) as { amount?: number; billing_cycle?: 'monthly' | 'annual'; currency?: string };
    const cents = meta.amount === undefined ? (old?.cents ?? 0) : monthlyCents(meta.amount, meta.billing_cycle);
    // As the pipeline: an update without a currency keeps the subscription's, anything else defaults to the base.
    const keep = event.event_type === 'subscription_updated' ? old?.currency : undefined;
    const currency = meta.currency ?? keep ?? this.baseCurrency;
    if (old?.live && old.currency === currency) {
      move(cents > old.cents ? 'expansion' : 'contraction', cents - old.cents, currency);
    } else if (old?.live) {
      move('contraction', -old.cents, old.currency);
      move('expansion', cents, currency);
    } else {
      move(old?.everLive ? 'reactivation' : 'new', cents, currency);
    }
    this.subscriptions.set(userId, { live: true, everLive: true, cents, currency, version });
  }
}

const mapAmounts = (cents: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(cents).map(([code, c]) => [code, toAmount(c)]));
