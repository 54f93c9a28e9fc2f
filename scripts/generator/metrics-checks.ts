import type { MetricsDocument } from '../../libs/analytics/index.js';
import { convertedMovements, movementKinds } from '../../libs/analytics/index.js';
import type { DayMovements, ExpectedFigures } from './expected-metrics.js';

type Subscriptions = MetricsDocument['subscriptions'];

/** The parts of GET /api/metrics the checks read; a pipeline older than the revenue figures has only the MRR. */
export interface ObservedMetrics {
  subscriptions: Pick<Subscriptions, 'mrr'> &
    Partial<Pick<Subscriptions, 'currency' | 'mrr_by_currency' | 'unconverted' | 'fx'>> & {
      movements?: Pick<Subscriptions['movements'], 'by_day'>;
    };
  active_users?: MetricsDocument['active_users'];
}

/** One comparison of what a run expects with what /api/metrics shows, as printed and in the --json summary. */
export interface MetricsCheck {
  name: string;
  passed: boolean;
  /**
   * Exact: the run's change must equal `expected`, to the cent, give or take `tolerance` (see checkMetrics).
   * Otherwise `actual` must be at least `expected`.
   */
  exact: boolean;
  tolerance?: number;
  expected: unknown;
  actual: unknown;
}

export interface CheckInput {
  expected: ExpectedFigures;
  /** The conversion rates the generator used: the pipeline's configuration. */
  rates: Readonly<Record<string, number>>;
  /** The document before the run's first event, and after its last was processed. */
  before: ObservedMetrics;
  after: ObservedMetrics;
  /** The UTC day (YYYY-MM-DD) of `after`. */
  today: string;
}

const round2 = (amount: number): number => Math.round(amount * 100) / 100;
const toCents = (amounts: Readonly<Record<string, number>> = {}): Record<string, number> =>
  Object.fromEntries(Object.entries(amounts).map(([code, amount]) => [code, Math.round(amount * 100)]));

/**
 * The revenue and user checks of a run. The money figures compare the run's change (after - before): the
 * run's users are new, so whatever the pipeline held before only adds, and the change is exactly what its
 * accepted events made, as long as nobody else sends subscription events meanwhile.
 *
 * Exact to the cent: mrr_by_currency and unconverted (no conversion), and mrr (the earlier MRR per currency
 * is in the document, so the generator converts the new totals as the pipeline does). The converted
 * movements of a day the pipeline already had movements on are exact give or take a cent per converted
 * currency and kind: the pipeline rounds each day's converted figures once over all its movements, and the
 * earlier part of them is not in the document. A fresh pipeline (the e2e tests) leaves no tolerance.
 *
 * Active users are a lower bound of the document's own figures: a user counts once a day however many runs
 * (or a seeded run sent twice) they appear in, so the run's change can be less than its users while the
 * day's count still holds them.
 */
export function checkMetrics({ expected, rates, before, after, today }: CheckInput): MetricsCheck[] {
  const subs = after.subscriptions;
  const earlier = before.subscriptions;
  const earlierCents = toCents(earlier.mrr_by_currency);
  const totalCents = { ...earlierCents };
  for (const [code, cents] of Object.entries(toCents(expected.mrr_by_currency)))
    totalCents[code] = (totalCents[code] ?? 0) + cents;
  const baseCents = (cents: Record<string, number>): number =>
    convertedMovements(cents, [], { baseCurrency: expected.currency, fxRates: rates, fxRatesDate: null }).mrrCents;
  const mrrChange = earlier.mrr_by_currency ? (baseCents(totalCents) - baseCents(earlierCents)) / 100 : expected.mrr;
  const checks: MetricsCheck[] = [
    exact(
      'currency and rates',
      { currency: expected.currency, rates },
      { currency: subs.currency, rates: subs.fx?.rates },
      (a, b) => sortedJson(a) === sortedJson(b),
    ),
    exact('mrr', mrrChange, round2(subs.mrr - earlier.mrr), (a, b) => sameAmount(a, b, 0)),
    exact('mrr_by_currency', expected.mrr_by_currency, changeOf(subs.mrr_by_currency, earlier.mrr_by_currency)),
    exact('unconverted', expected.unconverted, changeOf(subs.unconverted, earlier.unconverted)),
  ];
  const dates = [...new Set([...expected.movements.map((day) => day.date), today])].sort();
  // Cents a day's converted net may be off by (see above); a day's mrr_end carries the later days' too.
  const slack = new Map(dates.map((date) => [date, hadMovements(before, date) ? 5 * Object.keys(rates).length : 0]));
  for (const date of dates) {
    const wanted = expectedDay(date, expected, mrrChange);
    const tolerance = dates.filter((d) => d >= date).reduce((sum, d) => sum + (slack.get(d) ?? 0), 0) / 100;
    checks.push(exact(`movements ${date}`, wanted, dayChange(date, before, after), sameAmounts(tolerance), tolerance));
  }
  const users = after.active_users;
  const least = expected.active_users_today;
  checks.push({
    name: 'active users today',
    passed: users !== undefined && Math.min(users.dau, users.wau, users.mau) >= least,
    exact: false,
    expected: { dau: least, wau: least, mau: least },
    actual: users,
  });
  return checks;
}

/** `  PASS name: ...` for the console. */
export function describeCheck(check: MetricsCheck): string {
  const relation = check.exact ? 'changed by' : 'at least';
  const give = check.tolerance ? ` (give or take ${check.tolerance})` : '';
  return `  ${check.passed ? 'PASS' : 'FAIL'} ${check.name}: expected ${relation} ${JSON.stringify(check.expected)}${give}, got ${JSON.stringify(check.actual) ?? 'nothing (missing from /api/metrics)'}`;
}

function exact(
  name: string,
  expected: unknown,
  actual: unknown,
  same: (a: unknown, b: unknown) => boolean = sameAmounts(0),
  tolerance = 0,
): MetricsCheck {
  const check = { name, passed: actual !== undefined && same(expected, actual), exact: true };
  return { ...check, ...(tolerance > 0 ? { tolerance } : {}), expected, actual };
}

function sameAmount(a: unknown, b: unknown, tolerance: number): boolean {
  return typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < tolerance + 0.005;
}

/** Equal amounts, field by field (a field missing on one side counts as 0; `date` compared as is). */
function sameAmounts(tolerance: number) {
  return (expected: unknown, actual: unknown): boolean => {
    const [a, b] = [expected as Record<string, unknown>, actual as Record<string, unknown>];
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) =>
      typeof a[key] === 'string' || typeof b[key] === 'string'
        ? a[key] === b[key]
        : sameAmount(a[key] ?? 0, b[key] ?? 0, tolerance),
    );
  };
}

/** Whether the earlier document shows any movement on `date`. */
function hadMovements(before: ObservedMetrics, date: string): boolean {
  const day = before.subscriptions.movements?.by_day.find((d) => d.date === date);
  return day !== undefined && movementKinds.some((kind) => day[kind] !== 0);
}

/** JSON with every object's keys in order: equal for equal data however its keys were ordered. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** after - before per currency, non-zero only; undefined when the document has no such field. */
function changeOf(
  after: Record<string, number> | undefined,
  before: Record<string, number> | undefined,
): Record<string, number> | undefined {
  if (after === undefined) return undefined;
  const change: Record<string, number> = {};
  for (const code of new Set([...Object.keys(after), ...Object.keys(before ?? {})])) {
    const amount = round2((after[code] ?? 0) - (before?.[code] ?? 0));
    if (amount !== 0) change[code] = amount;
  }
  return change;
}

/**
 * The run's change to a day's movements: none on a day it did not touch. Its MRR at the end of the day is the
 * MRR change less the later days' nets, as the pipeline chains them.
 */
function expectedDay(date: string, expected: ExpectedFigures, mrrChange: number): DayMovements {
  const later = expected.movements.filter((day) => day.date > date).reduce((sum, day) => sum + day.net, 0);
  const zeros = { date, ...Object.fromEntries(movementKinds.map((kind) => [kind, 0])), net: 0 } as DayMovements;
  const day = expected.movements.find((d) => d.date === date) ?? zeros;
  return { ...day, mrr_end: round2(mrrChange - later) };
}

/** How a day's movements changed between the two documents; undefined when `after` does not show the day. */
function dayChange(date: string, before: ObservedMetrics, after: ObservedMetrics): DayMovements | undefined {
  const now = after.subscriptions.movements?.by_day.find((day) => day.date === date);
  if (now === undefined) return undefined;
  const days = before.subscriptions.movements?.by_day ?? [];
  // A day the earlier document did not show yet (the run crossed midnight) had no movements, and ended with
  // the MRR of then.
  const then: Partial<DayMovements> = days.find((day) => day.date === date) ?? {
    mrr_end: (days.at(-1)?.date ?? '') < date ? before.subscriptions.mrr : 0,
  };
  const fields = [...movementKinds, 'net', 'mrr_end'] as const;
  return Object.fromEntries([
    ['date', date],
    ...fields.map((field) => [field, round2(now[field] - (then[field] ?? 0))]),
  ]) as DayMovements;
}
