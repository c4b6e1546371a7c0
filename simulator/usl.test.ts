import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput } from './usl.ts';

// Baron Schwartz, "Practical Scalability Analysis with the Universal Scalability Law" (VividCortex,
// 2015): a Cisco benchmark of 32 thread counts; published nonlinear least-squares fit
// λ = 995.6486, σ = 0.02671591, κ = 0.0007690945 (also the reference of codahale/usl's tests).
const CISCO: Array<[number, number]> = [
  [1, 955.16],
  [2, 1878.91],
  [3, 2688.01],
  [4, 3548.68],
  [5, 4315.54],
  [6, 5130.43],
  [7, 5931.37],
  [8, 6531.08],
  [9, 7219.8],
  [10, 7867.61],
  [11, 8278.71],
  [12, 8646.7],
  [13, 9047.84],
  [14, 9426.55],
  [15, 9645.37],
  [16, 9897.24],
  [17, 10097.6],
  [18, 10240.5],
  [19, 10532.39],
  [20, 10798.52],
  [21, 11151.43],
  [22, 11518.63],
  [23, 11806.0],
  [24, 12089.37],
  [25, 12075.41],
  [26, 12177.29],
  [27, 12211.41],
  [28, 12158.93],
  [29, 12155.27],
  [30, 12118.04],
  [31, 12140.4],
  [32, 12074.39],
];

describe('fitUsl', () => {
  it('recovers the published coefficients of the Cisco benchmark (Schwartz 2015)', () => {
    const fit = fitUsl(CISCO.map(([n, x]) => ({ n, x })));
    expect(fit.lambda).toBeCloseTo(995.6486, 1);
    expect(Math.abs(fit.sigma / 0.02671591 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(fit.kappa / 0.0007690945 - 1)).toBeLessThan(1e-3);
    expect(fit.r2).toBeGreaterThan(0.99);
    expect(fit.residuals).toHaveLength(32);
    expect(fit.peakConcurrency!).toBeCloseTo(Math.sqrt((1 - fit.sigma) / fit.kappa), 9);
  });

  it('recovers σ = κ = 0.02, λ = 1 from the R usl package test data (tests/coef.R, 4-digit throughputs)', () => {
    const load = [1, 2, 4, 6, 8, 10];
    const tput = [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557];
    const fit = fitUsl(load.map((n, i) => ({ n, x: tput[i]! })));
    expect(fit.sigma).toBeCloseTo(0.02, 3);
    expect(fit.kappa).toBeCloseTo(0.02, 3);
    expect(fit.lambda).toBeCloseTo(1, 3);
  });

  it('recovers exact coefficients from noiseless synthetic data and keeps them within bounds', () => {
    const pts = [1, 2, 4, 8, 16, 32, 64].map((n) => ({ n, x: uslThroughput(120, 0.05, 0.0003, n) }));
    const fit = fitUsl(pts);
    expect(fit.lambda).toBeCloseTo(120, 4);
    expect(fit.sigma).toBeCloseTo(0.05, 6);
    expect(fit.kappa).toBeCloseTo(0.0003, 8);
    // Linear data: σ and κ at their lower bound 0, not negative.
    const linear = fitUsl([1, 2, 3, 4].map((n) => ({ n, x: 10 * n })));
    expect(linear.sigma).toBeGreaterThanOrEqual(0);
    expect(linear.kappa).toBeGreaterThanOrEqual(0);
    expect(linear.sigma).toBeLessThan(1e-6);
    expect(() => fitUsl([{ n: 1, x: 1 }])).toThrow(RangeError);
  });
});
