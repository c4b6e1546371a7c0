import { describe, expect, it } from 'vitest';
import { pooledPredictedP95 } from './pooled-prediction.ts';

// Oracles solved by hand: for exponential latencies S_i(t) = exp(−t/θ_i) with θ 1 and 2 ms, the pool
// weighted w and 1 − w has P(T > t) = w·u² + (1 − w)·u with u = exp(−t/2), a quadratic in u.
const exp = (theta: number) => (t: number) => Math.exp(-t / theta);
const p95 = (theta: number) => theta * Math.log(20);
const pooledOf = (w: number) => {
  const u = (-(1 - w) + Math.sqrt((1 - w) ** 2 + 4 * w * 0.05)) / (2 * w);
  return -2 * Math.log(u);
};

describe('pooledPredictedP95', () => {
  it("is the 95th percentile of the replicates' mixture, weighted by their requests", () => {
    const even = pooledPredictedP95([
      { p95Ms: p95(1), survival: exp(1), requests: 500 },
      { p95Ms: p95(2), survival: exp(2), requests: 500 },
    ]);
    // w = 1/2: u² + u − 0.1 = 0.
    expect(even).toBeCloseTo(-2 * Math.log((Math.sqrt(1.4) - 1) / 2), 6);
    expect(even).toBeCloseTo(4.7805, 3);
    const weighted = pooledPredictedP95([
      { p95Ms: p95(1), survival: exp(1), requests: 300 },
      { p95Ms: p95(2), survival: exp(2), requests: 100 },
    ]);
    expect(weighted).toBeCloseTo(pooledOf(0.75), 6);
    expect(weighted).toBeCloseTo(3.9227, 3);
  });

  it('is the one replicate p95 when they agree, and leaves out replicates that sent none', () => {
    expect(pooledPredictedP95([{ p95Ms: p95(1), survival: exp(1), requests: 10 }])).toBeCloseTo(p95(1), 6);
    expect(
      pooledPredictedP95([
        { p95Ms: p95(1), survival: exp(1), requests: 10 },
        { p95Ms: 99, survival: exp(33), requests: 0 },
      ]),
    ).toBeCloseTo(p95(1), 6);
  });

  it('falls back to the median p95 without distributions, and is unbounded with an unbounded replicate', () => {
    expect(
      pooledPredictedP95([
        { p95Ms: 3, requests: 1 },
        { p95Ms: 5, requests: 1 },
        { p95Ms: 40, requests: 1 },
      ]),
    ).toBe(5);
    expect(
      pooledPredictedP95([
        { p95Ms: 3, survival: exp(1), requests: 1 },
        { p95Ms: null, requests: 1 },
      ]),
    ).toBeNull();
    expect(pooledPredictedP95([{ p95Ms: 3, requests: 0 }])).toBeNull();
  });
});
