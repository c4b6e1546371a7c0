import { describe, expect, it } from 'vitest';
import { type ModelState, populationMixture } from './population-mixture.ts';
import { latency } from './queueing.ts';

// A rig whose mean-value model is known in closed form: at r syncs a second, a = r·D0 cores of work on
// two cores, a sync lasts D(r) = D0 / (1 − a/2) (so N = a / (1 − a/2) in flight), its one request's
// latency is exponential with that mean, and the host is a busy. By the arrival theorem that state is
// a population of n = N + 1 finishing (N + 1)/D(r) = (1 + a/2)/D0 a second: μ(n) = (2/D0)·n/(n + 1),
// so the birth-death population at λ is π(n) ∝ ρ^n (n+1) with ρ = λ·D0/2: a negative binomial of 2,
// E[n] = 2ρ/(1 − ρ), a sync with n in flight lasts n/μ(n) = D0·(n + 1)/2 and the host is μ(n)·D0 =
// 2n/(n + 1) busy. The oracles below are sums over that π, not the code under test.
const D0 = 0.1;
const LAMBDA = 16; // ρ = 0.8: E[n] = 8, where the mean-value fixed point has n = a/(1 − a/2) = 4.

/**
 * The open state of a sync of `demand` s on a processor-sharing resource of `cores` at r syncs a second,
 * one core a sync: D = demand / (1 − r·demand/cores), the resource r·demand busy (plus `fixedCores`
 * of work that is not the syncs', which does not slow them).
 */
function openState(r: number, demand: number, cores: number, resource: string, fixedCores = 0): ModelState {
  const a = r * demand;
  if (a >= cores)
    return {
      saturated: true,
      syncsPerSecond: r,
      syncSeconds: null,
      latencies: undefined,
      busy: {},
      servers: {},
    };
  const d = demand / (1 - a / cores);
  return {
    saturated: false,
    syncsPerSecond: r,
    syncSeconds: d,
    latencies: { 'rest.x': latency(0, [{ probability: 1, meanMs: d * 1000 }], 0, 1) },
    busy: { [resource]: fixedCores + a },
    servers: { [resource]: cores },
  };
}

function closedFormRig(scale: number): ModelState {
  return openState(scale * LAMBDA, D0, 2, 'host.cpu');
}

/** π(n) of the negative binomial (n+1) · ρ^n (1 − ρ)^2. */
function pi(n: number, rho: number): number {
  return (n + 1) * rho ** n * (1 - rho) ** 2;
}

describe('populationMixture (the flow-equivalent population over the mean-value model)', () => {
  const rho = (LAMBDA * D0) / 2;
  const m = populationMixture(LAMBDA, closedFormRig, 2000)!;

  it('finds the population of the closed form: E[n] = 2ρ/(1 − ρ) = 8, not the fixed point 4', () => {
    expect(m.saturationSyncsPerSecond).toBeCloseTo(2 / D0, 3);
    expect(m.meanInFlight).toBeCloseTo((2 * rho) / (1 - rho), 1);
    expect(m.droppedShare).toBeLessThan(1e-12);
  });

  it('time-averages the busy cores over the population: Σ π(n)·2n/(n + 1)', () => {
    let busy = 0;
    for (let n = 0; n < 2000; n++) busy += pi(n, rho) * ((2 * n) / (n + 1));
    // Every sync started is done: the mean busy is λ·D0 = 1.6 whatever the spread.
    expect(busy).toBeCloseTo(LAMBDA * D0, 6);
    expect(m.busy['host.cpu']).toBeCloseTo(busy, 2);
  });

  it("keeps the work that is not the syncs' fixed: a calm rig's busy cores are the fixed part + λ·D0", () => {
    // 0.3 cores of fixed work and 2 syncs a second of 0.1 s: by the flow balance Σ π(n)·μ(n) = λ the
    // time average is 0.3 + 2 × 0.1 = 0.5, however the population spreads.
    const calm = populationMixture(2, (s) => openState(s * 2, D0, 2, 'host.cpu', 0.3), 2000)!;
    expect(calm.busy['host.cpu']).toBeCloseTo(0.5, 2);
  });

  it("mixes the requests' latencies weighted by the requests each state issues, π(n)·μ(n)", () => {
    // Oracle: P(latency > t) = Σ π(n) μ(n) e^{−t / D(n)} / Σ π(n) μ(n), D(n) = D0 (n + 1)/2; p95 by bisection.
    const mu = (n: number): number => ((2 / D0) * n) / (n + 1);
    const tail = (tMs: number): number => {
      let s = 0;
      let w = 0;
      for (let n = 1; n < 2000; n++) {
        const x = pi(n, rho) * mu(n);
        s += x * Math.exp(-tMs / ((D0 * 1000 * (n + 1)) / 2));
        w += x;
      }
      return s / w;
    };
    let lo = 0;
    let hi = 1e5;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (tail(mid) > 0.05) lo = mid;
      else hi = mid;
    }
    expect(m.p95Ms['rest.x']! / lo).toBeCloseTo(1, 2);
    // The mean-value state alone (n = 4, D = 0.3 s) puts the p95 at 300·ln 20 = 899 ms; the mixture far above.
    expect(lo).toBeGreaterThan(1.5 * 300 * Math.log(20));
  });

  it("drops syncs at k6's VUs: with 5 VUs the chain stops at 5", () => {
    const few = populationMixture(LAMBDA, closedFormRig, 5)!;
    let norm = 0;
    for (let n = 0; n <= 5; n++) norm += pi(n, rho);
    // Within a per cent: μ is interpolated between the model's states at small n.
    expect(few.droppedShare / (pi(5, rho) / norm)).toBeCloseTo(1, 1);
  });

  it('says how much of the population lies past the last state the model carries, and its rate there', () => {
    // The closed form cut off at a = 1.8 cores (a resource saturating before the host): the last state
    // has N = 1.8/(1 − 0.9) = 18 others in flight, so n = 19, finishing no faster than the 18 a second
    // the cut allows (20n/(n + 1) reaches 18 at n = 9), and past it the mixture holds that rate.
    const capped = (scale: number): ModelState =>
      scale * LAMBDA * D0 >= 1.8 ? closedFormRig(10) : closedFormRig(scale);
    const c = populationMixture(LAMBDA, capped, 2000)!;
    expect(c.lastState.inFlight).toBeCloseTo(19, 1);
    expect(c.lastState.inFlight).toBeLessThan(19);
    expect(c.lastState.syncsPerSecond).toBeCloseTo(18, 2);
    // Oracle: the Poisson chain π(n) ∝ Π λ/μ(k), μ(k) = min(18, 20k/(k + 1)) up to the last state (a
    // hair below 19: s_K is found by bisection and the last state lies 2^−14 of it below) and 18 past it.
    const cut = c.lastState.inFlight;
    const mu = (k: number): number => (k <= cut ? Math.min(18, (20 * k) / (k + 1)) : 18);
    let w = 1;
    let total = 1;
    let beyond = 0;
    let requests = 0;
    let beyondRequests = 0;
    for (let n = 1; n < 2000; n++) {
      w *= LAMBDA / mu(n);
      total += w;
      requests += w * mu(n);
      if (n > cut) {
        beyond += w;
        beyondRequests += w * mu(n);
      }
    }
    expect(c.beyondLastState.timeShare / (beyond / total)).toBeCloseTo(1, 2);
    expect(c.beyondLastState.requestShare / (beyondRequests / requests)).toBeCloseTo(1, 2);
    // Far below the cut the population never reaches it.
    const calm = populationMixture(4, capped, 2000)!;
    expect(calm.beyondLastState.timeShare).toBeLessThan(1e-6);
  });

  it('is exact for one server (M/M/1): the population of the arrival theorem is ρ/(1 − ρ), not twice it', () => {
    // The open model of one exponential server of mean S at r a second: D = S/(1 − rS), N = rS/(1 − rS).
    // The closed population of n finishes 1/S a second whatever n ≥ 1, so with Poisson births π(n) =
    // (1 − ρ)ρ^n and E[n] = ρ/(1 − ρ) = 4 at ρ = 0.8; read backwards without the arrival theorem the
    // states finish n/(n + 1)/S and E[n] = 2ρ/(1 − ρ) = 8.
    const S = 0.05;
    const server = (scale: number): ModelState => openState(scale * 16, S, 1, 'db.cpu');
    const one = populationMixture(16, server, 5000, 1)!;
    expect(one.meanInFlight).toBeCloseTo(0.8 / 0.2, 1);
    // The server is busy whenever a sync is in flight: 1 − π(0) = ρ.
    expect(one.busy['db.cpu']).toBeCloseTo(0.8, 2);
  });

  it('is null when the model has no state below its saturation', () => {
    const never = (): ModelState => ({
      saturated: true,
      syncsPerSecond: 1,
      syncSeconds: null,
      latencies: undefined,
      busy: {},
      servers: {},
    });
    expect(populationMixture(LAMBDA, never, 100)).toBeNull();
  });
});
