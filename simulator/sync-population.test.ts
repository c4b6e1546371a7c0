import { describe, expect, it } from 'vitest';
import { K6_SCHEDULE_VARIABILITY, syncPopulation } from './sync-population.ts';

describe('syncPopulation (birth-death over syncs in flight)', () => {
  it('is Poisson when a sync lasts the same however many are in flight: E[n] = λ·D', () => {
    // μ(n) = n / 0.5; with VUs to spare, n ~ Poisson(1.5).
    const p = syncPopulation(3, (n) => n / 0.5, 60);
    expect(p.meanInFlight).toBeCloseTo(1.5, 9);
    expect(p.meanDurationSeconds).toBeCloseTo(0.5, 9);
    expect(p.probabilities[1]).toBeCloseTo(1.5 * Math.exp(-1.5), 9);
    expect(p.droppedShare).toBeLessThan(1e-12);
  });

  it('is M/M/2 when two syncs fit the host and more share it: worked by hand', () => {
    // μ(n) = min(n, 2). λ = 1.5: a = 1.5, ρ = 0.75.
    // P0 = 1 / (1 + 1.5 + (1.5²/2)/(1 − 0.75)) = 1/7; C = 4.5 · P0 = 4.5/7 = 0.642857…
    // E[n] = a + C·ρ/(1 − ρ) = 1.5 + 0.642857 · 3 = 3.428571…
    const p = syncPopulation(1.5, (n) => Math.min(n, 2), 400);
    expect(p.probabilities[0]).toBeCloseTo(1 / 7, 9);
    expect(p.meanInFlight).toBeCloseTo(1.5 + (4.5 / 7) * 3, 6);
    // The deterministic fixed point D = D(λ·D) gives D = 1, n = 1.5: the population's mean is 2.3× it.
    // Near capacity, λ = 1.9: P0 = 1 / (1 + 1.9 + (1.9²/2)/0.05) = 1/39; E[n] = 1.9 + (36.1/39)·19.
    expect(syncPopulation(1.9, (n) => Math.min(n, 2), 2000).meanInFlight).toBeCloseTo(
      1.9 + (36.1 / 39) * 19,
      6,
    );
  });

  it("stops at k6's VUs: M/M/1/3 and Erlang's loss formula, worked by hand", () => {
    // λ = μ = 1 with 3 VUs: π uniform over 0..3, E[n] = 1.5, a quarter of the syncs dropped.
    const k = syncPopulation(1, () => 1, 3);
    expect([...k.probabilities]).toEqual([0.25, 0.25, 0.25, 0.25].map((x) => expect.closeTo(x, 12)));
    expect(k.droppedShare).toBeCloseTo(0.25, 12);
    // Little on the started ones: 1.5 / (1 · 0.75) = 2 s.
    expect(k.meanDurationSeconds).toBeCloseTo(2, 12);
    // Every sync on its own (μ(n) = n/D), a = λD = 2, 2 VUs: Erlang B = (2²/2) / (1 + 2 + 2) = 0.4.
    expect(syncPopulation(4, (n) => n / 0.5, 2).droppedShare).toBeCloseTo(0.4, 12);
  });

  it('piles up at the VUs when the syncs cannot finish as fast as they start', () => {
    const p = syncPopulation(2.5, (n) => Math.min(n, 2), 200);
    expect(p.droppedShare).toBeCloseTo(1 - 2 / 2.5, 3);
    expect(p.meanInFlight).toBeGreaterThan(190);
  });

  it("is half as variable on k6's even schedule: one server at ρ = 0.8 holds ρ²/(1 − ρ²), not ρ/(1 − ρ)", () => {
    // μ(n) = 1, λ = 0.8. Poisson births: π(n) ∝ 0.8^n, E[n] = 0.8/0.2 = 4. Births on a schedule
    // (c_a² = 0) with Poisson deaths (c_s² = 1): v = 1/2, π(n) ∝ (0.8^n)^2 = 0.64^n, E[n] = 0.64/0.36.
    expect(syncPopulation(0.8, () => 1, 2000).meanInFlight).toBeCloseTo(4, 6);
    const even = syncPopulation(0.8, () => 1, 2000, K6_SCHEDULE_VARIABILITY);
    expect(even.meanInFlight).toBeCloseTo(0.64 / 0.36, 6);
    expect(even.probabilities[0]).toBeCloseTo(0.36, 9);
    // Balanced births and deaths (λ = μ) stay uniform over 0..3 VUs however variable they are.
    expect(syncPopulation(1, () => 1, 3, 0.5).droppedShare).toBeCloseTo(0.25, 12);
    // Past capacity (λ = 2, μ = 1, 3 VUs) the even schedule piles up faster: π ∝ 4^n, not 2^n.
    expect(syncPopulation(2, () => 1, 3, 0.5).droppedShare).toBeCloseTo(64 / 85, 12);
    expect(syncPopulation(2, () => 1, 3).droppedShare).toBeCloseTo(8 / 15, 12);
  });

  it('refuses a rate that is not positive, a rate of completions that is not, and a fractional capacity', () => {
    expect(() => syncPopulation(1, () => 1, 5, 0)).toThrow(/variability/);
    expect(() => syncPopulation(0, () => 1, 5)).toThrow(/positive/);
    expect(() => syncPopulation(1, () => 0, 5)).toThrow(/positive/);
    expect(() => syncPopulation(1, () => 1, 2.5)).toThrow(/whole number/);
  });
});
