import { describe, expect, it } from 'vitest';
import type { Dial } from './decision-model.ts';
import { drawValues, monteCarlo, triangularQuantile } from './monte-carlo.ts';

const x: Dial = { name: 'x', label: 'x', unit: '', low: 0.5, base: 1, high: 1.5, source: 'test' };
// A monotone toy: the knee is 1,000 / x... here 1,000 × x, so its quantiles are x's times 1,000.
const toy = (values: Record<string, number>) => ({ knee: 1000 * values.x! });

describe('triangular distribution', () => {
  it('inverts the CDF: ends, mode and the quantiles computed by hand', () => {
    expect(triangularQuantile(0, 0.5, 1, 1.5)).toBe(0.5);
    expect(triangularQuantile(1, 0.5, 1, 1.5)).toBe(1.5);
    expect(triangularQuantile(0.5, 0.5, 1, 1.5)).toBeCloseTo(1, 12);
    // F(q) = (q - a)^2 / ((c - a)(b - a)) below the mode: q10 = 0.5 + sqrt(0.1 × 1 × 0.5) = 0.72361.
    expect(triangularQuantile(0.1, 0.5, 1, 1.5)).toBeCloseTo(0.723607, 6);
    // Skewed: a = 0, mode 1, b = 4: F(1) = 1/4; q(0.5) = 4 - sqrt(0.5 × 4 × 3) = 1.5505.
    expect(triangularQuantile(0.5, 0, 1, 4)).toBeCloseTo(1.55051, 6);
  });
});

describe('monteCarlo', () => {
  it('is deterministic for a seed and differs for another', () => {
    const a = monteCarlo({ dials: [x], draws: 500, seed: 7, evaluate: toy });
    const b = monteCarlo({ dials: [x], draws: 500, seed: 7, evaluate: toy });
    const c = monteCarlo({ dials: [x], draws: 500, seed: 8, evaluate: toy });
    expect(b).toEqual(a);
    expect(c.outputs.knee!.p50).not.toBe(a.outputs.knee!.p50);
    expect(drawValues([x], 3, 7)).toEqual(drawValues([x], 3, 7));
  });

  it('P10 / P50 / P90 of a monotone toy match the hand-computed quantiles, and P50 brackets the base', () => {
    const r = monteCarlo({ dials: [x], draws: 1000, seed: 1, evaluate: toy });
    const k = r.outputs.knee!;
    expect(k.base).toBe(1000);
    // By hand: 1,000 × (0.5 + sqrt(0.05)) = 723.6, 1,000, 1,000 × (1.5 - sqrt(0.05)) = 1,276.4. With 1,000
    // draws the sampling error of a quantile is about 1/(density × sqrt(n / p(1-p))): ~11 users at P10/P90,
    // ~8 at P50; the bounds are 4 of those.
    expect(k.p10).toBeGreaterThan(723.6 - 45);
    expect(k.p10).toBeLessThan(723.6 + 45);
    expect(k.p90).toBeGreaterThan(1276.4 - 45);
    expect(k.p90).toBeLessThan(1276.4 + 45);
    expect(Math.abs(k.p50 - 1000)).toBeLessThan(32);
    expect(k.p10).toBeLessThan(k.base);
    expect(k.p90).toBeGreaterThan(k.base);
    expect(r.distribution).toMatch(/triangular/);
  });

  it('leaves choices and dials without a range at base, and rounds whole-number dials', () => {
    const pool: Dial = { ...x, name: 'pool', low: 1, base: 1, high: 2, choice: true };
    const n: Dial = { ...x, name: 'n', low: 0, base: 0, high: 1, integer: true };
    const fixed: Dial = { ...x, name: 'f', low: 3, base: 3, high: 3 };
    for (const v of drawValues([x, pool, n, fixed], 200, 3)) {
      expect(v.pool).toBe(1);
      expect(v.f).toBe(3);
      expect([0, 1]).toContain(v.n);
    }
  });

  it('refuses a draw count that is not a positive whole number', () => {
    expect(() => monteCarlo({ dials: [x], draws: 0, seed: 1, evaluate: toy })).toThrow(/draws/);
  });
});
