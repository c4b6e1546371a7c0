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

  it("is half as variable on k6's even schedule: one server at ρ = 0.8, the tail (ρ²)^n, the idle time 1 − ρ", () => {
    // μ(n) = 1, λ = 0.8. Poisson births: π(n) ∝ 0.8^n, E[n] = 0.8/0.2 = 4. Births on a schedule
    // (c_a² = 0) with Poisson deaths (c_s² = 1): v = 1/2, π(n)/π(n − 1) = 0.8² = 0.64 for n ≥ 2, and
    // π(0) = 1 − 0.8 (the server finishes 0.8 a second, as many as start): E[n] = 0.8/(1 − 0.64).
    expect(syncPopulation(0.8, () => 1, 2000).meanInFlight).toBeCloseTo(4, 6);
    const even = syncPopulation(0.8, () => 1, 2000, K6_SCHEDULE_VARIABILITY);
    expect(even.probabilities[0]).toBeCloseTo(0.2, 9);
    expect(even.probabilities[2]! / even.probabilities[1]!).toBeCloseTo(0.64, 9);
    expect(even.meanInFlight).toBeCloseTo(0.8 / 0.36, 6);
    // D/M/1 exactly (GI/M/1: σ = e^{−(1 − σ)/ρ}, time-average L = ρ/(1 − σ) = 2.154): within 5 %.
    let sigma = 0.5;
    for (let i = 0; i < 200; i++) sigma = Math.exp(-(1 - sigma) / 0.8);
    expect(sigma).toBeCloseTo(0.6286, 3);
    expect(Math.abs(even.meanInFlight / (0.8 / (1 - sigma)) - 1)).toBeLessThan(0.05);
    // Balanced births and deaths (λ = μ) stay uniform over 0..3 VUs however variable they are.
    expect(syncPopulation(1, () => 1, 3, 0.5).droppedShare).toBeCloseTo(0.25, 12);
    // Past capacity (λ = 2, μ = 1, 3 VUs) the even schedule piles up faster: w ∝ 1, 4, 16 over n = 1..3,
    // scaled so the 2·(1 − π(3)) started finish at π(1) + π(2) + π(3): π = (11, 2, 8, 32)/53.
    expect(syncPopulation(2, () => 1, 3, 0.5).droppedShare).toBeCloseTo(32 / 53, 12);
    expect(syncPopulation(2, () => 1, 3).droppedShare).toBeCloseTo(8 / 15, 12);
  });

  it('finishes the syncs as fast as they start, whatever the variability (flow balance)', () => {
    // Two cores, a sync of 0.1 s alone: μ(n) = 20·n/(n + 2) (population-mixture.ts's example), λ = 12.
    const mu = (n: number): number => (20 * n) / (n + 2);
    for (const v of [0.25, 0.5, 1]) {
      const p = syncPopulation(12, mu, 400, v);
      let finished = 0;
      for (let n = 1; n < p.probabilities.length; n++) finished += p.probabilities[n]! * mu(n);
      expect(finished).toBeCloseTo(12 * (1 - p.droppedShare), 9);
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    // Less variable births hold fewer syncs in flight, never fewer than one schedule's worth.
    const [a, b, c] = [0.25, 0.5, 1].map((v) => syncPopulation(12, mu, 400, v).meanInFlight);
    expect(a!).toBeLessThan(b!);
    expect(b!).toBeLessThan(c!);
  });

  it('refuses a rate that is not positive, a rate of completions that is not, and a fractional capacity', () => {
    expect(() => syncPopulation(1, () => 1, 5, 0)).toThrow(/variability/);
    expect(() => syncPopulation(0, () => 1, 5)).toThrow(/positive/);
    expect(() => syncPopulation(1, () => 0, 5)).toThrow(/positive/);
    expect(() => syncPopulation(1, () => 1, 2.5)).toThrow(/whole number/);
  });
});
