import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/seeded-random.ts';
import { bootstrapQuantileRatio } from './bootstrap.ts';
import { compareWithBaseline } from './evaluate-budgets.ts';

/** Log-normal latencies (median `median` ms, shape 0.5) from a seeded stream: a realistic noisy endpoint. */
function latencies(n: number, median: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(0.5 * z);
  });
}

const settings = { tolerance: 0.25, confidence: 0.95, resamples: 1000, seed: 7, minSamples: 50 };

describe('seeded bootstrap of a quantile ratio', () => {
  it('is deterministic for a seed and differs for another', () => {
    const a = latencies(400, 20, 1);
    const b = latencies(400, 20, 2);
    const options = { quantile: 0.95, resamples: 500, confidence: 0.95, seed: 3 };
    expect(bootstrapQuantileRatio(a, b, options)).toEqual(bootstrapQuantileRatio(a, b, options));
    expect(bootstrapQuantileRatio(a, b, { ...options, seed: 4 }).low).not.toBe(
      bootstrapQuantileRatio(a, b, options).low,
    );
  });

  it('reports point quantiles by the type-7 definition (worked by hand), ignoring non-finite values', () => {
    const current = [10, 3, 7, 1, 9, 2, 8, 4, 6, 5, Number.NaN];
    const baseline = [8, 2, 10, 6, 4];
    const r = bootstrapQuantileRatio(current, baseline, {
      quantile: 0.95,
      resamples: 200,
      confidence: 0.9,
      seed: 1,
    });
    // 10 values: position 0.95 x 9 = 8.55 -> 9 + 0.55 x (10 - 9); 5 values: 0.95 x 4 = 3.8 -> 8 + 0.8 x 2.
    expect(r.current).toBeCloseTo(9.55, 12);
    expect(r.baseline).toBeCloseTo(9.6, 12);
    expect(r.ratio).toBeCloseTo(9.55 / 9.6, 12);
    expect(r.low).toBeLessThanOrEqual(r.ratio);
    expect(r.high).toBeGreaterThanOrEqual(r.ratio);
  });

  it('puts the true ratio inside the interval for a 2x slowdown', () => {
    const r = bootstrapQuantileRatio(latencies(1000, 40, 11), latencies(1000, 20, 12), {
      quantile: 0.95,
      resamples: 1000,
      confidence: 0.95,
      seed: 1,
    });
    expect(r.low).toBeLessThan(2);
    expect(r.high).toBeGreaterThan(2);
    expect(r.low).toBeGreaterThan(1.5);
  });
});

describe('regression verdict against a baseline', () => {
  it('flags a 2x slowdown of p95 and p99', () => {
    const current = latencies(600, 40, 21);
    const baseline = latencies(600, 20, 22);
    expect(compareWithBaseline('p95', current, baseline, settings).regression).toBe(true);
    expect(compareWithBaseline('p99', current, baseline, settings).regression).toBe(true);
  });

  it('never flags a rerun of the same build over 40 independent pairs of runs', () => {
    const flagged: number[] = [];
    for (let seed = 100; seed < 140; seed++) {
      const verdict = compareWithBaseline(
        'p95',
        latencies(300, 20, seed),
        latencies(300, 20, seed + 1000),
        settings,
      );
      if (verdict.regression) flagged.push(seed);
    }
    expect(flagged).toEqual([]);
  });

  it('does not flag a real but small slowdown under the tolerance', () => {
    const verdict = compareWithBaseline('p95', latencies(2000, 22, 31), latencies(2000, 20, 32), settings);
    expect(verdict.regression).toBe(false);
    expect(verdict.note).toMatch(/within the 25% tolerance/);
  });

  it('does not flag a large ratio that noise explains (tiny samples)', () => {
    const few = { ...settings, minSamples: 5 };
    // Eight samples each: the p95 is essentially the maximum, so the interval is wide.
    const verdict = compareWithBaseline('p95', latencies(8, 30, 41), latencies(8, 20, 42), few);
    expect(verdict.interval).not.toBeNull();
    expect(verdict.interval!.low).toBeLessThanOrEqual(1);
    expect(verdict.regression).toBe(false);
  });

  it('refuses to judge with fewer samples than minSamples', () => {
    const verdict = compareWithBaseline('p95', latencies(10, 80, 1), latencies(10, 20, 2), settings);
    expect(verdict).toMatchObject({ interval: null, regression: false });
    expect(verdict.note).toMatch(/too few raw samples/);
  });
});
