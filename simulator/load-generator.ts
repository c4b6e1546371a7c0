// The load generator in the prediction. k6's constant-arrival-rate executor starts an iteration on
// schedule only when one of its VUs is free; it has at most maxVUs per scenario (sized by Little's law
// from the runner's estimate of an iteration's time, scenarios/lib/open-model.ts). When latency grows,
// busy VUs = rate × iteration time reach maxVUs, the open model turns closed and the iterations due
// meanwhile are dropped: the achieved rate is maxVUs / iteration time. Pure.

import { vuSecondsPerIteration } from '../scenarios/lib/arrival-spread.ts';

/** Upper bound on VUs per scenario the runner passes to k6 (scripts/run/plan.ts DEFAULT_MAX_VUS). */
export const DEFAULT_MAX_VUS = 200;
/** preAllocatedVUs head-room over Little's law (scenarios/lib/open-model.ts VU_SAFETY). */
export const VU_SAFETY = 2;

/**
 * preAllocatedVUs and maxVUs k6 gets for a rate and an estimated iteration time: the same formula as
 * scenarios/lib/open-model.ts vusFor (which runs inside k6 and cannot be imported here; a test checks
 * they agree).
 */
export function k6Vus(
  perSecond: number,
  iterationSeconds: number,
  cap = DEFAULT_MAX_VUS,
): { preAllocatedVUs: number; maxVUs: number } {
  const busy = perSecond * iterationSeconds;
  const pre = Math.min(cap, Math.ceil(Math.max(busy * VU_SAFETY, busy + 4 * Math.sqrt(busy))) + 1);
  const max = Math.min(cap, Math.max(pre, Math.ceil(busy * 4) + 2));
  return { preAllocatedVUs: pre, maxVUs: max };
}

/**
 * The runner's estimate of a sync's time for Little's law (SYNC_ITER_S): full sync ~8 ms per request
 * over conversations + 2 requests plus 50 ms, delta 50 ms (an assumption of plan.ts, not a measurement).
 */
export function syncIterationEstimateSeconds(mode: 'full' | 'delta', conversationsMean: number): number {
  return mode === 'full' ? 0.05 + 0.008 * (conversationsMean + 2) : 0.05;
}

/** The runner's estimate of an /api/message iteration (MSG_ITER_S): the upstream's mean plus 50 ms. */
export function messageIterationEstimateSeconds(upstreamMeanMs: number): number {
  return upstreamMeanMs / 1000 + 0.05;
}

/** Seconds a VU is held per iteration, arrival delay included (scenarios/lib/arrival-spread.ts). */
export { vuSecondsPerIteration };

/** One k6 scenario: the rate it was asked for and its VUs. */
export interface GeneratorStream {
  name: string;
  askedPerSecond: number;
  maxVUs: number;
}

/** What the generator achieves on one stream given the iteration time the system gives it. */
export interface StreamOutcome {
  name: string;
  askedPerSecond: number;
  achievedPerSecond: number;
  /** Iterations per second k6 drops for want of a free VU. */
  droppedPerSecond: number;
  /** Mean busy VUs (achieved rate × iteration time). */
  busyVUs: number;
  maxVUs: number;
}

/** Iterations per second a stream achieves with iteration time `t` (s; null: unbounded). */
function achievedOf(s: GeneratorStream, t: number | null | undefined): number {
  if (s.askedPerSecond <= 0) return 0;
  if (t === null || t === undefined || !(t > 0)) return t === null || t === undefined ? 0 : s.askedPerSecond;
  return Math.min(s.askedPerSecond, s.maxVUs / t);
}

/**
 * The share φ in (0, 1] of the asked load the system carries when k6 is in the loop: each stream
 * achieves min(asked, maxVUs / its iteration time) (a stream out of VUs drops; the others keep their
 * rate), and the iteration times are those of the system at φ (`iterationSeconds(φ)`, one per stream,
 * null when saturated there: unbounded). The model's load scales as a whole, so φ is the achieved
 * total over the asked total: the fixed point φ = Σ achieved(φ) / Σ asked. The right side falls as φ
 * rises (longer iterations), so the fixed point is unique: found by bisection to 1e-4.
 */
export function sustainableShare(
  streams: readonly GeneratorStream[],
  iterationSeconds: (share: number) => (number | null)[],
): number {
  const asked = streams.reduce((s, x) => s + x.askedPerSecond, 0);
  if (asked <= 0) return 1;
  const carried = (share: number): number => {
    const times = iterationSeconds(share);
    return streams.reduce((s, x, i) => s + achievedOf(x, times[i]), 0) / asked;
  };
  if (carried(1) >= 1 - 1e-12) return 1;
  let lo = 0;
  let hi = 1;
  while (hi - lo > 1e-4) {
    const mid = (lo + hi) / 2;
    if (carried(mid) >= mid) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Each stream's outcome with the iteration times of the system at the carried share. */
export function streamOutcomes(
  streams: readonly GeneratorStream[],
  times: readonly (number | null)[],
): StreamOutcome[] {
  return streams.map((s, i) => {
    const t = times[i] ?? null;
    const achieved = achievedOf(s, t);
    return {
      name: s.name,
      askedPerSecond: s.askedPerSecond,
      achievedPerSecond: achieved,
      droppedPerSecond: s.askedPerSecond - achieved,
      busyVUs: t === null ? (s.askedPerSecond > 0 ? s.maxVUs : 0) : achieved * t,
      maxVUs: s.maxVUs,
    };
  });
}
