import { describe, expect, it } from 'vitest';
import { type7Quantile } from '../test/support/reference-quantile.ts';
import type { DecisionModel, Dial, DialValues } from './decision-model.ts';
import { searchKnee } from './knee-search.ts';
import { drawValues } from './monte-carlo.ts';
import { analyseUncertainty } from './uncertainty.ts';

// A toy decision model whose knee is known in closed form and is not separable in the dials
// (K = 2,000 / (x + y)), so a response surface additive in log(dial) is only approximate there.
const dial = (name: string): Dial => ({
  name,
  label: name,
  unit: '',
  low: 0.5,
  base: 1,
  high: 1.5,
  source: 'test',
});
const dials = [dial('x'), dial('y')];
const trueKnee = (v: DialValues): number => 2000 / ((v.x ?? 1) + (v.y ?? 1));
const model: DecisionModel = {
  dials,
  policies: ['p'],
  scales: [1000],
  accepts: (v, _p, users) => users <= trueKnee(v),
  knee: (v, _p, hint, tolerance) =>
    searchKnee((n) => n <= trueKnee(v), { hint, tolerance: tolerance ?? 0.005 }),
  monthlyUsd: (_v, _p, users) => users.map(() => null),
};

describe('the Monte Carlo of the knee', () => {
  const draws = 400;
  const truth = drawValues(dials, draws, 3).map(trueKnee);

  it('exact: P10 / P50 / P90 are those of the true knees of the same draws, within the 2% search', () => {
    const u = analyseUncertainty(model, { draws, seed: 3, whatIfAxes: [], kneeMethod: 'exact' });
    const k = u.monteCarlo.knees[0]!;
    expect(u.monteCarlo.kneeMethod).toBe('exact');
    expect(u.monteCarlo.drawTolerance).toBe(0.02);
    for (const [got, p] of [
      [k.p10, 0.1],
      [k.p50, 0.5],
      [k.p90, 0.9],
    ] as const) {
      const want = type7Quantile(truth, p);
      // The search returns the accepted end of a bracket 2% wide: at most 2% below, never above.
      expect(got, `P${p * 100}`).toBeLessThanOrEqual(want + 1);
      expect(got, `P${p * 100}`).toBeGreaterThan(want * 0.98 - 1);
    }
    expect(u.monteCarlo.check!.draws).toBe(draws);
  });

  it('surface: quantiles near the truth, and its error against exact searches reported (median and worst)', () => {
    const u = analyseUncertainty(model, {
      draws,
      seed: 3,
      whatIfAxes: [],
      kneeMethod: 'surface',
      surfaceChecks: 40,
    });
    const k = u.monteCarlo.knees[0]!;
    expect(u.monteCarlo.kneeMethod).toBe('surface');
    expect(k.p50).toBeGreaterThan(type7Quantile(truth, 0.5) * 0.9);
    expect(k.p50).toBeLessThan(type7Quantile(truth, 0.5) * 1.1);
    const c = u.monteCarlo.check!;
    expect(c.draws).toBe(40);
    expect(c.medianRelativeError).toBeGreaterThanOrEqual(0);
    expect(c.medianRelativeError).toBeLessThanOrEqual(c.maxRelativeError);
    // The surface is additive in log(x) and log(y); the truth is not: somewhere it is off.
    expect(c.maxRelativeError).toBeGreaterThan(0.001);
  });
});
