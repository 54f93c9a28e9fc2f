import { describe, expect, it } from '@jest/globals';
import type { DayMovements, ExpectedFigures } from '../expected-metrics.js';
import { checkMetrics, describeCheck, type ObservedMetrics } from '../metrics-checks.js';

const zeros = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 };
const day = (date: string, fields: Partial<DayMovements> = {}): DayMovements => ({
  date,
  ...zeros,
  mrr_end: 0,
  ...fields,
});
const rates = { EUR: 1.08 };

// What a pipeline showed before a run: 100 USD of MRR that started 2 days ago, and 3 active users today.
const before: ObservedMetrics = {
  subscriptions: {
    mrr: 100,
    currency: 'USD',
    mrr_by_currency: { USD: 100 },
    unconverted: {},
    fx: { date: null, rates },
    movements: {
      by_day: [
        day('2026-11-24', { new: 100, net: 100, mrr_end: 100 }),
        day('2026-11-25', { mrr_end: 100 }),
        day('2026-11-26', { mrr_end: 100 }),
      ],
    },
  },
  active_users: { dau: 3, wau: 5, mau: 9 },
};
// The run: a EUR subscription of 50 yesterday (54 USD), a GBP one of 20 today (no rate), 4 users today.
const expected: ExpectedFigures = {
  currency: 'USD',
  mrr: 54,
  mrr_by_currency: { EUR: 50, GBP: 20 },
  unconverted: { GBP: 20 },
  movements: [day('2026-11-25', { new: 54, net: 54, mrr_end: 54 })],
  active_users_today: 4,
};
const after: ObservedMetrics = {
  subscriptions: {
    mrr: 154,
    currency: 'USD',
    mrr_by_currency: { USD: 100, EUR: 50, GBP: 20 },
    unconverted: { GBP: 20 },
    fx: { date: null, rates },
    movements: {
      by_day: [
        day('2026-11-24', { new: 100, net: 100, mrr_end: 100 }),
        day('2026-11-25', { new: 54, net: 54, mrr_end: 154 }),
        day('2026-11-26', { mrr_end: 154 }),
      ],
    },
  },
  active_users: { dau: 6, wau: 8, mau: 12 },
};
const input = { expected, rates, before, after, today: '2026-11-26' };

describe('checkMetrics', () => {
  it('when the pipeline changed by exactly what the run expects, then every check passes, days and users included', () => {
    const checks = checkMetrics(input);
    expect(checks.map((check) => [check.name, check.passed, check.exact])).toEqual([
      ['currency and rates', true, true],
      ['mrr', true, true],
      ['mrr_by_currency', true, true],
      ['unconverted', true, true],
      ['movements 2026-11-25', true, true],
      ['movements 2026-11-26', true, true],
      ['active users today', true, false],
    ]);
    expect(checks[5]?.expected).toEqual(day('2026-11-26', { mrr_end: 54 }));
    expect(describeCheck(checks[1]!)).toBe('  PASS mrr: expected changed by 54, got 54');
  });

  it('when a figure is off by a cent, or users are fewer than the run sent today, then that check fails', () => {
    const movedWrong = structuredClone(after);
    movedWrong.subscriptions.movements!.by_day[1]!.expansion = 0.01;
    movedWrong.subscriptions.mrr_by_currency!.EUR = 49.99;
    movedWrong.active_users = { dau: 6, wau: 8, mau: 3 };
    const failed = checkMetrics({ ...input, after: movedWrong }).filter((check) => !check.passed);
    expect(failed.map((check) => check.name)).toEqual([
      'mrr_by_currency',
      'movements 2026-11-25',
      'active users today',
    ]);
  });

  it('when the pipeline converts at other rates or lacks the new fields, then it says so', () => {
    const otherRates = { ...after, subscriptions: { ...after.subscriptions, fx: { date: null, rates: { EUR: 1.1 } } } };
    expect(checkMetrics({ ...input, after: otherRates }).find((c) => !c.passed)?.name).toBe('currency and rates');
    const old: ObservedMetrics = { subscriptions: { mrr: 154 } };
    const checks = checkMetrics({ ...input, after: old });
    expect(checks.filter((check) => check.passed).map((check) => check.name)).toEqual(['mrr']);
    expect(describeCheck(checks[2]!)).toBe(
      '  FAIL mrr_by_currency: expected changed by {"EUR":50,"GBP":20}, got nothing (missing from /api/metrics)',
    );
  });

  it('when the run crossed midnight, then a day the earlier document did not show started from its MRR', () => {
    const nextDay = structuredClone(after);
    nextDay.subscriptions.movements!.by_day.push(day('2026-11-27', { mrr_end: 154 }));
    const checks = checkMetrics({ ...input, after: nextDay, today: '2026-11-27' });
    expect(checks.find((check) => check.name === 'movements 2026-11-27')).toMatchObject({
      passed: true,
      actual: day('2026-11-27', { mrr_end: 54 }),
    });
  });

  it('when the pipeline already held converted money, then MRR is still exact and that day’s movements may be a cent off per currency and kind', () => {
    // Earlier: 10.25 EUR (11.07 USD) yesterday. The pipeline rounds each currency's total once:
    // 60.25 EUR is 65.07 USD, so the run's 50 EUR add 54.00 to MRR, and 54.00 to yesterday's new here,
    // while another split of the same day could show 53.99 or 54.01.
    const busyBefore = structuredClone(before);
    Object.assign(busyBefore.subscriptions, { mrr: 111.07, mrr_by_currency: { USD: 100, EUR: 10.25 } });
    busyBefore.subscriptions.movements!.by_day.splice(
      1,
      2,
      day('2026-11-25', { new: 11.07, net: 11.07, mrr_end: 111.07 }),
      day('2026-11-26', { mrr_end: 111.07 }),
    );
    const busyAfter = structuredClone(busyBefore);
    Object.assign(busyAfter.subscriptions, {
      mrr: 165.07,
      mrr_by_currency: { USD: 100, EUR: 60.25, GBP: 20 },
      unconverted: { GBP: 20 },
    });
    busyAfter.active_users = after.active_users;
    busyAfter.subscriptions.movements!.by_day.splice(
      1,
      2,
      day('2026-11-25', { new: 65.08, net: 65.08, mrr_end: 165.07 }),
      day('2026-11-26', { mrr_end: 165.07 }),
    );
    const checks = checkMetrics({ ...input, before: busyBefore, after: busyAfter });
    expect(checks.filter((check) => !check.passed)).toEqual([]);
    expect(checks.find((check) => check.name === 'movements 2026-11-25')?.tolerance).toBe(0.05);
    busyAfter.subscriptions.mrr = 165.08;
    expect(checkMetrics({ ...input, before: busyBefore, after: busyAfter })[1]).toMatchObject({
      name: 'mrr',
      passed: false,
    });
  });
});
