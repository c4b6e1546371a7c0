// How many syncs are in flight on the rig: a birth-death process, not the deterministic count. Pure.
//
// k6 starts syncs on a schedule (λ a second), and each lasts as long as the host lets it: with n syncs
// in flight a sync lasts D(n) (the chain model's duration with n chains, rig-chains.ts), so they finish
// at μ(n) = n / D(n) a second. Solving D = D(λ·D) alone (the mean-value fixed point) finds the one
// population where μ = λ and says nothing of how far the population strays from it; near the host's
// capacity it strays far: a slow second leaves more syncs in flight, which makes the next second slower
// (bench:knee 2026-12-02 09:00, full sync on a quiet 2-core machine, no stolen time: the measured syncs
// in flight, rate × mean duration, were 1.4, 2.8-3.1, 8-20 and 9-27 at 0.6, 0.8, 0.9 and 1.1 K, where
// λ times the uncontended sync's 80 ms is 1.4, 1.9, 2.1, 2.6). Births are taken as Poisson (the schedule
// is even, but the syncs' lengths vary with their users' conversation counts, so which are still in
// flight is close to random) and deaths at μ(n): π(n) ∝ Π_{k≤n} λ/μ(k), the M/M/c shape when
// μ(n) = min(n/D0, c/D0). Where μ(n) stays below λ for every n the population grows without bound:
// saturated. The mean population gives the mean duration by Little: D = E[n]/λ.
//
// Not yet part of the rig model (session 12): wired into rigChainLoad, with D(n) by bisection at each
// population, it put 0.8K of full sync within the goal on --reuse of those runs but left 0.9K 52-74 %
// short (the p95 needs a mixture over the population, not its mean), named an open M/M/10 pool where
// n syncs cannot queue at 10 connections until n > 10, and took minutes per prediction (docs/simulator.md,
// "Session 12").

/** Populations evaluated one by one (D is evaluated at each); beyond, on a geometric grid, interpolated. */
const EXACT_UP_TO = 16;
/** Growth of the grid beyond EXACT_UP_TO. */
const GRID_GROWTH = 1.25;
/** The largest population evaluated; beyond it μ is held at its value there (a geometric tail). */
const LARGEST_EVALUATED = 1024;
/** Populations whose probability is below this share of the largest one's are left out (the scan stops). */
const NEGLIGIBLE = 1e-10;

/** The stationary population of syncs in flight. */
export interface SyncPopulation {
  /** E[n]: mean syncs in flight. */
  meanInFlight: number;
  /** E[n] / λ: mean duration of a sync, s (Little). */
  meanDurationSeconds: number;
  /** The most likely population. */
  modeInFlight: number;
}

/**
 * The population of syncs in flight at `syncsPerSecond` (λ > 0) when n of them last
 * `durationAt(n)` seconds each (n ≥ 1, non-decreasing in n); null when it grows without bound
 * (μ(n) = n / D(n) below λ at the largest population evaluated).
 */
export function syncPopulation(
  syncsPerSecond: number,
  durationAt: (inFlight: number) => number,
): SyncPopulation | null {
  if (!(syncsPerSecond > 0)) throw new RangeError(`syncs per second must be positive, got ${syncsPerSecond}`);
  const grid = new Map<number, number>();
  const evaluated = (n: number): number => {
    let d = grid.get(n);
    if (d === undefined) {
      d = durationAt(n);
      if (!(d > 0) || !Number.isFinite(d))
        throw new RangeError(`duration at ${n} in flight must be positive`);
      grid.set(n, d);
    }
    return d;
  };
  // The grid point at or below n and the next one above (integers up to EXACT_UP_TO, then geometric).
  const gridPoints = (n: number): [number, number] => {
    if (n <= EXACT_UP_TO) return [n, n];
    let lo = EXACT_UP_TO;
    for (;;) {
      const hi = Math.max(lo + 1, Math.round(lo * GRID_GROWTH));
      if (n <= hi) return [lo, hi];
      lo = hi;
    }
  };
  const duration = (n: number): number => {
    const [lo, hi] = gridPoints(n);
    if (lo === hi || n === lo) return evaluated(lo);
    const a = evaluated(lo);
    const b = evaluated(hi);
    return a + ((b - a) * (n - lo)) / (hi - lo);
  };
  // Unbounded when the syncs finish slower than they start even with the most in flight.
  if ((syncsPerSecond * duration(LARGEST_EVALUATED)) / LARGEST_EVALUATED >= 1) return null;
  // log π(n) up the chain; the scan stops once past the mode the weights are negligible.
  let logP = 0;
  let logMax = 0;
  let mode = 0;
  const logWeights: number[] = [0];
  let n = 1;
  for (; n <= LARGEST_EVALUATED; n++) {
    const mu = n / duration(n);
    logP += Math.log(syncsPerSecond / mu);
    logWeights.push(logP);
    if (logP > logMax) {
      logMax = logP;
      mode = n;
    }
    if (n > mode && logP - logMax < Math.log(NEGLIGIBLE)) break;
  }
  let tailWeight = 0;
  let tailMean = 0;
  if (n > LARGEST_EVALUATED) {
    // Past the largest population evaluated μ stays at μ(N): a geometric tail of ratio r = λ/μ(N).
    const last = LARGEST_EVALUATED;
    const r = (syncsPerSecond * duration(last)) / last;
    const w = Math.exp(logWeights[last]! - logMax);
    tailWeight = (w * r) / (1 - r);
    tailMean = w * ((last * r) / (1 - r) + r / ((1 - r) * (1 - r)));
  }
  let total = tailWeight;
  let mean = tailMean;
  for (let k = 0; k < logWeights.length; k++) {
    const w = Math.exp(logWeights[k]! - logMax);
    total += w;
    mean += k * w;
  }
  const meanInFlight = mean / total;
  return { meanInFlight, meanDurationSeconds: meanInFlight / syncsPerSecond, modeInFlight: mode };
}
