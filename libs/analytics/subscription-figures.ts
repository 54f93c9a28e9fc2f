import { subscriptionFields as f } from './analytics-keys.js';
import { movementKinds, type MetricsDocument } from './metrics-document-schema.js';

/** How money is reported: DAY15_BASE_CURRENCY, DAY15_FX_RATES (base units per unit), DAY15_FX_RATES_DATE. */
export interface Money {
  baseCurrency: string;
  fxRates: Readonly<Record<string, number>>;
  fxRatesDate: string | null;
}

export const defaultMoney: Money = { baseCurrency: 'USD', fxRates: {}, fxRatesDate: null };

type Counts = Record<string, number>;
type Subscriptions = MetricsDocument['subscriptions'];
type DayMovements = Subscriptions['movements']['by_day'][number];

/** One UTC day's movement hash (fields `<kind>:<currency>`, cents), summed over the partitions. */
export interface MovementDay {
  /** YYYY-MM-DD */
  date: string;
  cents: Counts;
}

/**
 * The subscriptions part of the metrics document from the sums the ack script keeps in cents per currency
 * (`<name>:<currency>`; a field without a currency was written before currencies were kept, and is in the
 * base). Rates apply when the metrics are read: MRR is the book as it stands, valued at today's configured
 * rates. A currency without a rate is listed under `unconverted` and left out of every converted figure.
 */
export function subscriptionFigures(
  totals: Counts,
  byPlanCents: Counts,
  days: readonly MovementDay[],
  money: Money,
): Subscriptions {
  const rateOf = rates(money);
  const perCurrency = sumsByCurrency(totals, f.mrrCents, money.baseCurrency);
  const byPlanExact: Counts = {};
  for (const [field, cents] of Object.entries(byPlanCents)) {
    const [plan, currency] = splitCurrency(field, money.baseCurrency);
    const rate = rateOf(currency);
    if (rate !== undefined) byPlanExact[plan] = (byPlanExact[plan] ?? 0) + cents * rate;
  }
  const { mrrCents, byDay } = convertedMovements(perCurrency, days, money);
  const last = byDay.at(-1);
  return {
    active: totals[f.active] ?? 0,
    currency: money.baseCurrency,
    mrr: toAmount(mrrCents),
    mrr_by_currency: nonZero(mapValues(perCurrency, toAmount)),
    unconverted: nonZero(
      mapValues(
        Object.fromEntries(Object.entries(perCurrency).filter(([currency]) => rateOf(currency) === undefined)),
        toAmount,
      ),
    ),
    fx: { date: money.fxRatesDate, rates: { ...money.fxRates } },
    by_plan: nonZero(mapValues(byPlanExact, toAmount)),
    churned: totals[f.churned] ?? 0,
    unknown_cancellations: totals[f.unknownCancellations] ?? 0,
    movements: {
      today: Object.fromEntries(
        [...movementKinds, 'net' as const].map((kind) => [kind, last?.[kind] ?? 0]),
      ) as Subscriptions['movements']['today'],
      by_day: byDay,
    },
  };
}

/**
 * Live MRR (cents per currency) and the movements of consecutive days (cents per `<kind>:<currency>`, the
 * last day today) in the base currency. In each currency the figures are exact: a day's MRR at its end is
 * the next day's less that day's net, back from today's MRR. Converted, each day's mrr_end is the exact
 * converted value rounded once to the cent (so no rounding piles up over 90 days, and a history that starts
 * from nothing starts at 0); a day's net is the difference of two such ends, so yesterday's mrr_end + today's
 * net = today's mrr_end to the cent; and its five kinds are rounded to add up to that net, each by less than
 * a cent (largest remainder).
 */
export function convertedMovements(
  liveByCurrency: Counts,
  days: readonly MovementDay[],
  money: Money,
): { mrrCents: number; byDay: DayMovements[] } {
  const rateOf = rates(money);
  const toBase = (byCurrency: Counts): number =>
    Object.entries(byCurrency).reduce((sum, [currency, cents]) => sum + cents * (rateOf(currency) ?? 0), 0);
  const kindsByDay = days.map(({ cents }) =>
    movementKinds.map((kind) => sumsByCurrency(cents, kind, money.baseCurrency)),
  );
  // Each currency's MRR at the end of each day, today's last, and at the start of the first day.
  let end: Counts = { ...liveByCurrency };
  const ends: Counts[] = [];
  for (const kinds of [...kindsByDay].reverse()) {
    ends.unshift(end);
    const before = { ...end };
    for (const byCurrency of kinds) {
      for (const [currency, cents] of Object.entries(byCurrency)) before[currency] = (before[currency] ?? 0) - cents;
    }
    end = before;
  }
  let previous = Math.round(toBase(end));
  const byDay = days.map(({ date }, i) => {
    const mrrEnd = Math.round(toBase(ends[i] ?? {}));
    const net = mrrEnd - previous;
    previous = mrrEnd;
    const kinds = allocate((kindsByDay[i] ?? []).map(toBase), net);
    const figures = Object.fromEntries(movementKinds.map((kind, k) => [kind, toAmount(kinds[k] ?? 0)]));
    return { date, ...figures, net: toAmount(net), mrr_end: toAmount(mrrEnd) } as DayMovements;
  });
  return { mrrCents: byDay.length > 0 ? previous : Math.round(toBase(liveByCurrency)), byDay };
}

// Whole cents for `exact` (fractional cents) that add up to `total`: each rounded down, then one more cent to
// those with the largest fractions until the total is reached. `total` is within a cent of the exact sum, so
// only figures with a fraction move, by less than a cent, and none crosses zero.
function allocate(exact: readonly number[], total: number): number[] {
  const rounded = exact.map((value) => Math.floor(value + 1e-9));
  let rest = total - rounded.reduce((sum, value) => sum + value, 0);
  const byFraction = exact
    .map((value, i) => ({ i, fraction: value - (rounded[i] ?? 0) }))
    .sort((a, b) => b.fraction - a.fraction);
  for (const { i } of byFraction) {
    if (rest <= 0) break;
    rounded[i] = (rounded[i] ?? 0) + 1;
    rest -= 1;
  }
  return rounded;
}

const rates =
  (money: Money) =>
  (currency: string): number | undefined =>
    currency === money.baseCurrency ? 1 : money.fxRates[currency];

/** The fields `<name>:<currency>` (and a bare `<name>`, in the base) of a hash, by currency. */
function sumsByCurrency(hash: Counts, name: string, base: string): Counts {
  const sums: Counts = {};
  for (const [field, value] of Object.entries(hash)) {
    const [fieldName, currency] = splitCurrency(field, base);
    if (fieldName === name) sums[currency] = (sums[currency] ?? 0) + value;
  }
  return sums;
}

// `premium:EUR` -> ['premium', 'EUR']; the currency follows the last colon (a plan name may hold colons).
// A field without one is from before currencies were kept: in the base.
function splitCurrency(field: string, base: string): [string, string] {
  const colon = field.lastIndexOf(':');
  return colon < 0 ? [field, base] : [field.slice(0, colon), field.slice(colon + 1)];
}

const toAmount = (cents: number): number => Math.round(cents) / 100;

function mapValues<K extends string>(record: Record<K, number>, map: (value: number) => number): Record<K, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value as number)])) as Record<
    K,
    number
  >;
}

const nonZero = (record: Counts): Counts =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== 0));
