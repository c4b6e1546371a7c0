// The load generator in the prediction. k6's constant-arrival-rate executor starts an iteration on
// schedule only when one of its VUs is free; it has at most maxVUs per scenario (sized by Little's law
// from the runner's estimate of an iteration's time, scenarios/lib/open-model.ts). When latency grows,
// busy VUs = rate × iteration time reach maxVUs, the open model turns closed and the iterations due
// meanwhile are dropped: the achieved rate is maxVUs / iteration time. Pure.

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

/**
 * The largest share φ in (0, 1] of the asked rates the generator can keep up (one share for every
 * stream: the workload scales with users as a whole; k6 drops only on the streams out of VUs, so the
 * achieved total is a lower bound once one stream binds), given the mean iteration
 * time at that share (`iterationSeconds(φ)`, one per stream, null when the system is saturated there:
 * unbounded), such that every stream's busy VUs φ·rate·time stay within its maxVUs. The time grows
 * with φ, so the feasible shares are an interval from 0: found by bisection to 1e-4.
 */
export function sustainableShare(
  streams: readonly GeneratorStream[],
  iterationSeconds: (share: number) => (number | null)[],
): number {
  const fits = (share: number): boolean => {
    const times = iterationSeconds(share);
    return streams.every((s, i) => {
      const t = times[i];
      if (s.askedPerSecond <= 0) return true;
      return t !== null && t !== undefined && share * s.askedPerSecond * t <= s.maxVUs;
    });
  };
  if (fits(1)) return 1;
  let lo = 0;
  let hi = 1;
  while (hi - lo > 1e-4) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Each stream's outcome at share φ of the asked rates with the iteration times there. */
export function streamOutcomes(
  streams: readonly GeneratorStream[],
  share: number,
  times: readonly (number | null)[],
): StreamOutcome[] {
  return streams.map((s, i) => {
    const achieved = s.askedPerSecond * share;
    const t = times[i] ?? null;
    return {
      name: s.name,
      askedPerSecond: s.askedPerSecond,
      achievedPerSecond: achieved,
      droppedPerSecond: s.askedPerSecond - achieved,
      busyVUs: t === null ? s.maxVUs : Math.min(s.maxVUs, achieved * t),
      maxVUs: s.maxVUs,
    };
  });
}
