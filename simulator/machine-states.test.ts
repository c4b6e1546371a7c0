import { describe, expect, it } from 'vitest';
import type { ModelContext } from './analytic.ts';
import type { Calibration } from './calibration.ts';
import { machineStateScales, predictOverMachineStates } from './machine-states.ts';
import type { RunPrediction } from './run-prediction.ts';

describe('the machine states a level is predicted over', () => {
  it('takes the midpoint quantile of equal-probability slices of Normal(1, σ)', () => {
    // Φ⁻¹(0.25) = −0.67449, Φ⁻¹(0.75) = +0.67449 (tables).
    const two = machineStateScales(0.1, 2);
    expect(two[0]).toBeCloseTo(1 - 0.067449, 4);
    expect(two[1]).toBeCloseTo(1 + 0.067449, 4);
    // Ten slices: the outermost at Φ⁻¹(0.05) = −1.6449 and Φ⁻¹(0.95) (to the quantile's 0.1 %), the mean
    // of all exactly 1.
    const ten = machineStateScales(0.05);
    expect(ten).toHaveLength(10);
    expect((1 - ten[0]!) / 0.05).toBeCloseTo(1.6449, 2);
    expect((ten[9]! - 1) / 0.05).toBeCloseTo(1.6449, 2);
    expect(ten.reduce((a, b) => a + b, 0) / 10).toBeCloseTo(1, 12);
    expect(machineStateScales(0, 3)).toEqual([1, 1, 1]);
  });

  it('refuses a spread that is not a number >= 0, slices that are not whole, a scale <= 0', () => {
    expect(() => machineStateScales(-0.1)).toThrow(RangeError);
    expect(() => machineStateScales(Number.NaN)).toThrow(RangeError);
    expect(() => machineStateScales(0.1, 0)).toThrow(RangeError);
    expect(() => machineStateScales(0.1, 2.5)).toThrow(RangeError);
    // 1 − 0.7 × 1.6449 < 0.
    expect(() => machineStateScales(0.7)).toThrow(RangeError);
  });
});

/** A calibration whose one duration (the connection overhead, 1 ms) tells the scale it was taken to. */
const calibration = { demands: {}, connectionOverheadMs: 1, requestOverheadMs: {} } as unknown as Calibration;
const ctx = { calibration } as unknown as ModelContext;

/**
 * A run prediction whose endpoint's latency is exponential with mean `meanMs` (p95 = mean × ln 20) at
 * `rate` requests a second; `unbounded` for a state with no p95.
 */
function exponentialRun(meanMs: number, rate: number, unbounded = false): RunPrediction {
  return {
    p95Ms: { 'rest.messages': unbounded ? null : meanMs * Math.log(20) },
    prediction: { endpoints: [{ endpoint: 'rest.messages', ratePerSecond: rate }] },
    population: { survival: { 'rest.messages': (t: number) => Math.exp(-t / meanMs) } },
  } as unknown as RunPrediction;
}

describe('a run predicted over machine states', () => {
  it("pools the states' distributions by the requests each sends", () => {
    // Two states, 0.93255 and 1.06745 of the durations: exponential means 9.3255 and 10.6745 ms, the
    // dearer state sending twice the requests. The pooled p95 t solves
    // (1/3)·e^(−t/9.3255) + (2/3)·e^(−t/10.6745) = 0.05.
    const seen: number[] = [];
    const out = predictOverMachineStates(
      ctx,
      0.1,
      (c) => {
        const k = c.calibration.connectionOverheadMs;
        seen.push(k);
        return exponentialRun(10 * k, k > 1 ? 2 : 1);
      },
      2,
    );
    expect(seen).toEqual(out.scales);
    const t = out.p95Ms['rest.messages']!;
    const mean = (i: number) => 10 * out.scales[i]!;
    expect((1 / 3) * Math.exp(-t / mean(0)) + (2 / 3) * Math.exp(-t / mean(1))).toBeCloseTo(0.05, 9);
    // Between the two states' own p95s (28.0 and 32.0 ms).
    expect(t).toBeGreaterThan(mean(0) * Math.log(20));
    expect(t).toBeLessThan(mean(1) * Math.log(20));
    expect(out.states.map((s) => s['rest.messages'])).toEqual([
      mean(0) * Math.log(20),
      mean(1) * Math.log(20),
    ]);
  });

  it('is unbounded when one state is', () => {
    const out = predictOverMachineStates(
      ctx,
      0.1,
      (c) => exponentialRun(10, 1, c.calibration.connectionOverheadMs > 1),
      2,
    );
    expect(out.p95Ms['rest.messages']).toBeNull();
  });
});
