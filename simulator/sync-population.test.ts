import { describe, expect, it } from 'vitest';
import { syncPopulation } from './sync-population.ts';

describe('syncPopulation (birth-death over syncs in flight)', () => {
  it('is Poisson when a sync lasts the same however many are in flight: E[n] = λ·D', () => {
    const p = syncPopulation(3, () => 0.5)!;
    expect(p.meanInFlight).toBeCloseTo(1.5, 9);
    expect(p.meanDurationSeconds).toBeCloseTo(0.5, 9);
    expect(p.modeInFlight).toBe(1); // Poisson(1.5): P(1) = P(2)·(2/1.5) > P(2)
  });

  it('is M/M/2 when two syncs fit the host and more share it: worked by hand', () => {
    // D(n) = max(1, n/2): μ(n) = min(n, 2). λ = 1.5: a = 1.5, ρ = 0.75.
    // P0 = 1 / (1 + 1.5 + (1.5²/2)/(1 − 0.75)) = 1/7; C = 4.5 · P0 = 4.5/7 = 0.642857…
    // E[n] = a + C·ρ/(1 − ρ) = 1.5 + 0.642857 · 3 = 3.428571…
    const p = syncPopulation(1.5, (n) => Math.max(1, n / 2))!;
    expect(p.meanInFlight).toBeCloseTo(1.5 + (4.5 / 7) * 3, 6);
    expect(p.meanDurationSeconds).toBeCloseTo((1.5 + (4.5 / 7) * 3) / 1.5, 6);
    // The deterministic fixed point D = D(λ·D) gives D = 1, n = 1.5: the population's mean is 2.3× it.
  });

  it('interpolates beyond the exact populations and keeps the M/M/2 mean near capacity', () => {
    // λ = 1.9, ρ = 0.95: P0 = 1 / (1 + 1.9 + (1.9²/2)/0.05) = 1/39.0; C = 36.1 · P0 = 36.1/39
    // E[n] = 1.9 + (36.1/39) · 19 = 19.4872 (populations up to ~400 matter; D is linear there).
    const p = syncPopulation(1.9, (n) => Math.max(1, n / 2))!;
    expect(p.meanInFlight).toBeCloseTo(1.9 + (36.1 / 39) * 19, 3);
  });

  it('grows without bound when the syncs cannot finish as fast as they start', () => {
    expect(syncPopulation(2.5, (n) => Math.max(1, n / 2))).toBeNull();
  });

  it('refuses a rate that is not positive and a duration that is not', () => {
    expect(() => syncPopulation(0, () => 1)).toThrow(/positive/);
    expect(() => syncPopulation(1, () => 0)).toThrow(/positive/);
  });
});
