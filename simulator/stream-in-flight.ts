import { logNormalFromMeanScv, logNormalSurvival } from './distributions.ts';

// How many syncs of one of k6's evenly spaced streams are in flight at a moment, when their durations
// vary (session 23; rig-chains.ts). Pure.
//
// A constant-arrival-rate stream starts a sync every 1/rate seconds. The sync started j intervals and a
// phase u ago is still running when its duration D exceeds (j + u)/rate, independently of the others:
// the count in flight is a sum of independent Bernoullis (Poisson-binomial), averaged over the phase u.
// A sync's own requests see the others of its stream size-biased: a moment with n in flight is seen
// by n of them, so P(others = k) ∝ (k + 1)·P(n = k + 1). With every D equal to the mean the count is
// floor or ceil of rate × mean (the chain model of sessions 5-22); D varies with the user's
// conversations (a full sync makes one request for each), and the spread of the count is what makes
// more than two chains meet on two cores at once, before the mean reaches them. D is taken log-normal
// (assumption: the seeder's conversations per user are, sync-duration-cv.ts) with the given mean and CV.

/** A distribution over counts: count → probability. */
export type Counts = Map<number, number>;

/** Phases of the schedule averaged over (the moment looked at, within one start interval). */
const PHASES = 16;

/** Probability below which a count at either end of the distribution is dropped (the rest renormalised). */
const TRIM = 1e-12;

/** A start older than the mean and still running with less than this probability ends the sum. */
const DONE = 1e-7;

/**
 * The count of a stream's syncs in flight at a moment (`sizeBiased`: the others beside one of them),
 * for starts `rate` per second and log-normal durations of mean `meanSeconds` and coefficient of
 * variation `cv` (> 0).
 */
export function streamInFlight(rate: number, meanSeconds: number, cv: number, sizeBiased: boolean): Counts {
  const d = logNormalFromMeanScv(Math.max(1e-12, meanSeconds), cv * cv);
  const period = 1 / rate;
  const out: Counts = new Map();
  let total = 0;
  for (let h = 0; h < PHASES; h++) {
    const u = (h + 0.5) / PHASES;
    // Poisson-binomial over the past starts, oldest last, until they are all but surely done: the
    // count n has probability buf[n] for a ≤ n < b, its negligible ends trimmed as it grows.
    const buf = [1];
    let a = 0;
    let b = 1;
    for (let j = 0; ; j++) {
      const p = logNormalSurvival(d, (j + u) * period);
      if (p < DONE && (j + u) * period > meanSeconds) break;
      buf[b] = 0;
      for (let k = b - 1; k >= a; k--) {
        buf[k + 1]! += buf[k]! * p;
        buf[k]! *= 1 - p;
      }
      b++;
      while (a < b - 1 && buf[a]! < TRIM) a++;
      while (b - 1 > a && buf[b - 1]! < TRIM) b--;
    }
    for (let k = a; k < b; k++) {
      const w = sizeBiased ? buf[k]! * k : buf[k]!;
      if (w <= 0) continue;
      const key = sizeBiased ? k - 1 : k;
      out.set(key, (out.get(key) ?? 0) + w);
      total += w;
    }
  }
  if (total <= 0) return new Map([[0, 1]]);
  for (const [k, q] of out) out.set(k, q / total);
  return out;
}
