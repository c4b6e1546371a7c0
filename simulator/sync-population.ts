// How many syncs are in flight on the rig: a birth-death process, not the deterministic count. Pure.
//
// k6 starts syncs on a schedule (λ a second), and each lasts as long as the host lets it: with n syncs
// in flight they finish at μ(n) a second (population-mixture.ts reads μ(n) off the mean-value model
// run at the rate where n are in flight: a flow-equivalent server). Solving D = D(λ·D) alone (the
// mean-value fixed point) finds the one population where μ = λ and says nothing of how far the
// population strays from it; near the host's capacity it strays far: a slow second leaves more syncs
// in flight, which makes the next second slower (bench:knee 2026-12-02 09:00, full sync on a quiet
// 2-core machine: the measured syncs in flight, rate × mean duration, were 1.4, 2.8-3.1, 8-20 and 9-27
// at 0.6, 0.8, 0.9 and 1.1 K, where the fixed point gave 1.4, 2.2, 2.9 and 11).
//
// How far it strays depends on how variable the births and deaths are. With Poisson births and
// deaths at μ(n), π(n) ∝ Π_{k≤n} λ/μ(k) (the M/M/c shape when μ(n) = min(n, c)/D0). k6's
// constant-arrival-rate executor starts syncs on a fixed schedule, not at random: the births' squared
// coefficient of variation c_a² is 0 (over the long run; three even streams superposed), while the
// deaths stay as random as the syncs' lengths make them (c_s² taken as 1, the assumption the model made
// for births and deaths alike until 2026-12-02). The diffusion approximation of a birth-death process
// (drift λ − μ(n), variance λ·c_a² + μ(n)·c_s²; Kingman's (c_a² + c_s²)/2 for one queue) gives, near
// balance, π(n)/π(n−1) = (λ/μ(n))^(1/v) with v = (c_a² + c_s²)/2, the `variability`: 1 is the
// Poisson chain exactly, 1/2 k6's schedule (one server at ρ: E[n] = ρ²/(1 − ρ²) instead of ρ/(1 − ρ)).
// Measured on bench:knee 2026-12-02 15:58 (full sync, quiet 2-core machine, K 8,292 users): syncs in
// flight 1.86 / 3.31 at 0.6 / 0.8 K, where the Poisson chain gave 2.30 / 5.06 and the fixed point alone
// 1.50 / 2.34 (with the model's states read backwards as the population, before session 56 read them
// by the arrival theorem, population-mixture.ts: v was chosen against a μ(n) that was too low). k6
// has `capacity` VUs for the syncs: with all of them busy a sync due is dropped (k6's
// dropped_iterations), so the chain stops there and the share dropped is π(capacity) (the syncs due see
// the time average). The mean population gives the mean duration by Little: D = E[n] / (λ·(1 − dropped)).

/**
 * (c_a² + c_s²)/2 of the rig's syncs: k6 starts them on a fixed schedule (c_a² = 0, constant-arrival-rate),
 * they end as randomly as Poisson deaths (c_s² = 1, assumption; range 0.5-1.5 gives 0.25-0.75).
 */
export const K6_SCHEDULE_VARIABILITY = 0.5;

/** The stationary population of syncs in flight. */
export interface SyncPopulation {
  /** π(n), n = 0 … capacity. */
  probabilities: Float64Array;
  /** E[n]: mean syncs in flight. */
  meanInFlight: number;
  /** Share of the syncs due that k6 drops (all its VUs busy): π(capacity). */
  droppedShare: number;
  /** E[n] / (λ·(1 − dropped)): mean duration of a sync, s (Little). */
  meanDurationSeconds: number;
}

/**
 * The population of syncs in flight at `syncsPerSecond` (λ > 0) when n of them finish at
 * `completionsAt(n)` a second (n ≥ 1, positive) and k6 has `capacity` VUs (≥ 1) to run them;
 * `variability` (c_a² + c_s²)/2 > 0 of births and deaths, 1 for the Poisson chain (the default).
 */
export function syncPopulation(
  syncsPerSecond: number,
  completionsAt: (inFlight: number) => number,
  capacity: number,
  variability = 1,
): SyncPopulation {
  if (!(syncsPerSecond > 0)) throw new RangeError(`syncs per second must be positive, got ${syncsPerSecond}`);
  if (!(capacity >= 1) || !Number.isInteger(capacity))
    throw new RangeError(`capacity must be a whole number of VUs >= 1, got ${capacity}`);
  if (!(variability > 0)) throw new RangeError(`variability must be positive, got ${variability}`);
  const completions = new Float64Array(capacity + 1);
  for (let n = 1; n <= capacity; n++) {
    const mu = completionsAt(n);
    if (!(mu > 0) || !Number.isFinite(mu))
      throw new RangeError(`completions at ${n} in flight must be positive`);
    completions[n] = mu;
  }
  // π(0), the time with no sync in flight, from the flow balance: the syncs finish as fast as they
  // start, Σ_{n≥1} π(n)·μ(n) = λ·(1 − π(capacity)), over the shape π(n)/π(n − 1) = (λ/μ(n))^(1/v) for
  // n ≥ 2. For Poisson births and deaths (v = 1) this is the chain's own π(0) (its cut equations sum to
  // it); for v ≠ 1 the shape alone would not carry λ (one server at ρ = 0.8 and v = ½ would finish 0.64
  // a second) where GI/M/1 does: π(0) = 1 − ρ below a geometric tail (D/M/1 at ρ = 0.8: ratio 0.629
  // exactly, 0.64 here). Where no π(0) ≥ 0 carries λ (a sync alone slower than the schedule, μ(1) < λ,
  // with the shape held low), a sync is always in flight: π(0) = 0 and the shape's births rise above λ
  // until it does (bisection), or to the VUs past capacity.
  const probabilities = new Float64Array(capacity + 1);
  const shaped = (births: number): { shape: number; finished: number; top: number } => {
    // log w(n) from w(1) = 1, normalised against the largest at the end (no overflow either side).
    let logP = 0;
    let logMax = 0;
    for (let n = 1; n <= capacity; n++) {
      if (n > 1) logP += Math.log(births / completions[n]!) / variability;
      probabilities[n] = logP;
      if (logP > logMax) logMax = logP;
    }
    let shape = 0;
    let finished = 0;
    for (let n = 1; n <= capacity; n++) {
      const w = Math.exp(probabilities[n]! - logMax);
      probabilities[n] = w;
      shape += w;
      finished += w * completions[n]!;
    }
    return { shape, finished, top: probabilities[capacity]! };
  };
  const at = shaped(syncsPerSecond);
  const idleScale = syncsPerSecond / (at.finished + syncsPerSecond * at.top);
  if (at.shape * idleScale <= 1) {
    for (let n = 1; n <= capacity; n++) probabilities[n]! *= idleScale;
    probabilities[0] = Math.max(0, 1 - at.shape * idleScale);
  } else {
    // Never idle: the births of the shape that balance the flow with π(0) = 0 (the balance rises with them).
    const gap = (births: number): number => {
      const x = shaped(births);
      return x.finished / x.shape - syncsPerSecond * (1 - x.top / x.shape);
    };
    let lo = syncsPerSecond;
    let hi = syncsPerSecond * 2;
    for (let i = 0; i < 60 && gap(hi) < 0; i++) {
      lo = hi;
      hi *= 2;
    }
    for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
      const mid = (lo + hi) / 2;
      if (gap(mid) < 0) lo = mid;
      else hi = mid;
    }
    const x = shaped(hi);
    for (let n = 1; n <= capacity; n++) probabilities[n]! /= x.shape;
    probabilities[0] = 0;
  }
  let mean = 0;
  for (let n = 1; n <= capacity; n++) mean += n * probabilities[n]!;
  const droppedShare = probabilities[capacity]!;
  const started = syncsPerSecond * (1 - droppedShare);
  return {
    probabilities,
    meanInFlight: mean,
    droppedShare,
    meanDurationSeconds: started > 0 ? mean / started : Number.POSITIVE_INFINITY,
  };
}
