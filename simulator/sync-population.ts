// How many syncs are in flight on the rig: a birth-death process, not the deterministic count. Pure.
//
// k6 starts syncs on a schedule (λ a second), and each lasts as long as the host lets it: with n syncs
// in flight they finish at μ(n) a second (population-mixture.ts reads μ(n) off the mean-value model
// run at the rate where n are in flight: a flow-equivalent server). Solving D = D(λ·D) alone (the
// mean-value fixed point) finds the one population where μ = λ and says nothing of how far the
// population strays from it; near the host's capacity it strays far: a slow second leaves more syncs
// in flight, which makes the next second slower (bench:knee 2026-12-02 09:00, full sync on a quiet
// 2-core machine: the measured syncs in flight, rate × mean duration, were 1.4, 2.8-3.1, 8-20 and 9-27
// at 0.6, 0.8, 0.9 and 1.1 K, where the fixed point gave 1.4, 2.2, 2.9 and 11). Births are taken as
// Poisson (the schedule is even, but the syncs' lengths vary with their users' conversation counts, so
// which are still in flight is close to random) and deaths at μ(n): π(n) ∝ Π_{k≤n} λ/μ(k), the M/M/c
// shape when μ(n) = min(n, c)/D0. k6 has `capacity` VUs for the syncs: with all of them busy a sync
// due is dropped (k6's dropped_iterations), so the chain stops there and the share dropped is π(capacity)
// (Poisson arrivals see the time average). The mean population gives the mean duration by Little:
// D = E[n] / (λ·(1 − dropped)).

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
 * `completionsAt(n)` a second (n ≥ 1, positive) and k6 has `capacity` VUs (≥ 1) to run them.
 */
export function syncPopulation(
  syncsPerSecond: number,
  completionsAt: (inFlight: number) => number,
  capacity: number,
): SyncPopulation {
  if (!(syncsPerSecond > 0)) throw new RangeError(`syncs per second must be positive, got ${syncsPerSecond}`);
  if (!(capacity >= 1) || !Number.isInteger(capacity))
    throw new RangeError(`capacity must be a whole number of VUs >= 1, got ${capacity}`);
  // log π(n) up the chain, normalised at the end against the largest (no overflow either side).
  const logWeights = new Float64Array(capacity + 1);
  let logP = 0;
  let logMax = 0;
  for (let n = 1; n <= capacity; n++) {
    const mu = completionsAt(n);
    if (!(mu > 0) || !Number.isFinite(mu))
      throw new RangeError(`completions at ${n} in flight must be positive`);
    logP += Math.log(syncsPerSecond / mu);
    logWeights[n] = logP;
    if (logP > logMax) logMax = logP;
  }
  const probabilities = new Float64Array(capacity + 1);
  let total = 0;
  for (let n = 0; n <= capacity; n++) {
    const w = Math.exp(logWeights[n]! - logMax);
    probabilities[n] = w;
    total += w;
  }
  let mean = 0;
  for (let n = 0; n <= capacity; n++) {
    probabilities[n]! /= total;
    mean += n * probabilities[n]!;
  }
  const droppedShare = probabilities[capacity]!;
  const started = syncsPerSecond * (1 - droppedShare);
  return {
    probabilities,
    meanInFlight: mean,
    droppedShare,
    meanDurationSeconds: started > 0 ? mean / started : Number.POSITIVE_INFINITY,
  };
}
