import { describe, expect, it } from '@jest/globals';
import { convertedMovements, type MovementDay } from '../index.js';

const money = { baseCurrency: 'USD', fxRates: { EUR: 1.0837, GBP: 1.2713 }, fxRatesDate: null };
const day = (date: string, cents: Record<string, number>): MovementDay => ({ date, cents });

describe('convertedMovements', () => {
  // Three days in three currencies at rates with four decimals: every converted figure has fractional cents.
  const days = [
    day('2026-11-23', {}),
    day('2026-11-24', { 'new:USD': 2999, 'new:EUR': 4999, 'new:GBP': 1999 }),
    day('2026-11-25', { 'expansion:EUR': 3333, 'contraction:GBP': -777, 'churn:USD': -2999 }),
    day('2026-11-26', { 'reactivation:USD': 1234, 'expansion:GBP': 101, 'contraction:EUR': -1 }),
  ];
  const live = { USD: 1234, EUR: 8331, GBP: 1323 };
  const { mrrCents, byDay } = convertedMovements(live, days, money);
  const cents = (amount: number) => Math.round(amount * 100);

  it('starts a history that began inside the window at 0 and ends it at MRR, rounded once', () => {
    expect(byDay[0]!.mrr_end).toBe(0);
    expect(mrrCents).toBe(Math.round(1234 + 8331 * 1.0837 + 1323 * 1.2713));
    expect(cents(byDay.at(-1)!.mrr_end)).toBe(mrrCents);
  });

  it("keeps yesterday's mrr_end + today's net = today's mrr_end, and each day's kinds adding up to its net, to the cent", () => {
    byDay.slice(1).forEach((today, i) => {
      expect(cents(byDay[i]!.mrr_end) + cents(today.net)).toBe(cents(today.mrr_end));
      const kinds = [today.new, today.expansion, today.contraction, today.churn, today.reactivation];
      expect(kinds.reduce((sum, amount) => sum + cents(amount), 0)).toBe(cents(today.net));
    });
  });

  it('rounds each kind by less than a cent and never across zero', () => {
    const exact = { new: 2999 + 4999 * 1.0837 + 1999 * 1.2713 };
    expect(Math.abs(cents(byDay[1]!.new) - exact.new)).toBeLessThan(1);
    expect(byDay[2]!.contraction).toBeLessThan(0);
    expect(byDay[2]!.churn).toBe(-29.99);
    expect(byDay[3]!.contraction).toBeLessThanOrEqual(0);
  });

  it('leaves a currency without a rate out of every converted figure', () => {
    const result = convertedMovements(
      { USD: 100, JPY: 5000 },
      [day('2026-11-26', { 'new:JPY': 5000, 'new:USD': 100 })],
      money,
    );
    expect(result.mrrCents).toBe(100);
    expect(result.byDay[0]).toMatchObject({ new: 1, net: 1, mrr_end: 1 });
  });
});
