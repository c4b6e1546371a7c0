import { type Latency, latencyQuantile, latencySurvival } from './queueing.ts';
import { syncPopulation } from './sync-population.ts';

// The rig's syncs in flight as a population that strays, and what a run measures over it. Pure.
//
// The mean-value model (analytic.ts with the rig's chains, cpu.ts) solves one steady state per load:
// at λ syncs a second it finds the duration D with λ·D in flight. Near the host's capacity a run does
// not sit there: a slow second leaves more syncs in flight, which slows the next (sync-population.ts).
// The model run at s·λ (the same users syncing s times as often, ModelContext.syncRateScale) is the
// steady state with N(s) = s·λ·D(s) in flight, finishing s·λ a second. The flow-equivalent server of
// the whole rig (Chandy, Herzog and Woo's decomposition: a subnetwork replaced by a server whose rate
// depends on its population) needs the rate μ(n) at which a closed population of n finishes; by the
// arrival theorem a sync among n sees n − 1 others where the open state's sees N(s), so that state is
// n = N(s) + 1 finishing n/D(s) (closedPopulationStates; until session 56 it was read as n = N(s)
// finishing s·λ, which for one server gives n/(n + 1) of its rate: the population twice as large, and
// on bench:knee's full sync a p95 a third to a half above the fixed point's at 0.6K, where
// the fixed point came closer). The population then follows the birth-death process at the asked λ with k6's VUs as
// its ceiling (sync-population.ts; k6 starts syncs on an even schedule: half a Poisson chain's variability), and each figure a run measures is the model's at the population's
// state, mixed over the states:
//   p95 of a sync endpoint   the p95 of the mixture of the states' latencies, each state weighted by the
//                            requests it issues, π(n)·μ(n) (a request of /api/message, which does not
//                            come from a sync, by π(n): Poisson arrivals see the time average);
//   busy servers             the time average Σ π(n)·busy(n);
//   syncs in flight, dropped E[n] and π(k6's VUs).
// The states are the model at a grid of s up to s_K, where a resource on the syncs' path saturates
// (the mean-value knee: the population is stable below it, so the knee itself is unchanged). Between
// grid states (every 0.05 of s_K to 3/4 of it, then four per halving of the distance to it) μ,
// latencies' weights and busy servers are interpolated linearly in n; past the last state (s_K·(1 − 2^−14)) the syncs finish at its rate and a population n lasts n/μ: each request's
// wait, and the pool's busy connections (held for it), grow with the sync's duration above the
// uncontended one, while the CPU's busy cores stay.

/** Resources whose busy servers are held for a request's wait (they grow past the last state); the rest do work. */
const HELD_FOR_THE_WAIT = new Set(['db.pool']);

/** Fractions of s_K the states are taken at up to 3/4 of it: 0.02, then every 0.05 from 0.05. */
const LOW_STATES = [0.02, ...Array.from({ length: 15 }, (_, i) => 0.05 * (i + 1))];
/** States per halving of the distance to s_K above 3/4 of it (the population there grows like 1/(s_K − s)). */
const STATES_PER_HALVING = 4;
/** The last state is at s_K·(1 − 2^−this). */
const LAST_HALVING = 14;
/** Largest multiple of the asked rate searched for s_K; beyond it the syncs' path is taken as unsaturated. */
const LARGEST_SCALE = 64;
/** Bisection steps of s_K (relative width 2^−20 of the bracket). */
const KNEE_STEPS = 20;
/** States less likely than this are left out of the mixtures. */
const NEGLIGIBLE = 1e-12;

/** What a run measures over the population of its syncs. */
export interface PopulationMixture {
  /** E[n]: syncs in flight (k6's busy VUs of the sync scenarios). */
  meanInFlight: number;
  /** Share of the syncs due that k6 drops with all its VUs busy. */
  droppedShare: number;
  /** p95 per endpoint mixed over the states (endpoints every state gives a latency of). */
  p95Ms: Record<string, number>;
  /** P(latency > t ms) per endpoint of `p95Ms`, mixed over the states: what a pool of runs mixes again. */
  survival: Record<string, (ms: number) => number>;
  /** Busy servers per resource, time-averaged over the states. */
  busy: Record<string, number>;
  /** Syncs per second at which the mean-value model saturates the syncs' path (s_K·λ). */
  saturationSyncsPerSecond: number;
  /** How many model states the mixture rests on. */
  states: number;
  /**
   * The last state the mean-value model carries: its syncs in flight and the syncs per second it
   * finishes (the flow-equivalent server's highest rate; past it the mixture holds that rate).
   */
  lastState: { inFlight: number; syncsPerSecond: number };
  /**
   * Share of the time the population lies past the last state, and of the sync requests issued
   * there (π(n)·μ(n)): how much of the mixture rests on that held rate and its stretched waits.
   */
  beyondLastState: { timeShare: number; requestShare: number };
}

/** What the mean-value model gives at one rate of syncs (predictRun builds it from a prediction). */
export interface ModelState {
  /** A resource on the syncs' path is saturated (the state does not exist). */
  saturated: boolean;
  /** Syncs per second of the state (s·λ). */
  syncsPerSecond: number;
  /** Mean duration of one sync, s, k6's gaps included (null: unbounded). */
  syncSeconds: number | null;
  /** Latency distributions of the endpoints whose p95 is mixed (from syncs: names starting `rest.`). */
  latencies: Record<string, Latency> | undefined;
  /** Busy servers per resource as a run measures them. */
  busy: Record<string, number>;
  /** Servers of each resource (a resource's busy servers never exceed them). */
  servers: Record<string, number>;
}

/** One state of the population: the model at s·λ. */
interface State {
  inFlight: number;
  completionsPerSecond: number;
  durationSeconds: number;
  latencies: Record<string, Latency>;
  busy: Record<string, number>;
  servers: Record<string, number>;
}

/**
 * The open states' busy servers at `rate` syncs a second: linear between the two states around it,
 * on the line through the two lightest below them (to the fixed work at rate 0), the heaviest's above.
 */
function openBusyAtRate(open: ModelState[], rate: number): Record<string, number> {
  let j = Math.min(1, open.length - 1);
  while (j < open.length - 1 && open[j]!.syncsPerSecond < rate) j++;
  const b = open[j]!;
  const a = open[Math.max(0, j - 1)]!;
  const span = b.syncsPerSecond - a.syncsPerSecond;
  const f = span > 0 ? Math.min(1, (rate - a.syncsPerSecond) / span) : 1;
  const busy: Record<string, number> = {};
  for (const r of Object.keys(b.busy))
    busy[r] = Math.max(0, (a.busy[r] ?? 0) + f * ((b.busy[r] ?? 0) - (a.busy[r] ?? 0)));
  return busy;
}

/**
 * The states of the closed population of syncs from the mean-value model's open states, lightest first
 * (each with a bounded sync duration and latencies), led by the empty population. The arrival theorem:
 * a sync of a closed population of n sees the n − 1 others, where a sync of the open model at s·λ sees
 * its time average N = s·λ·D(s); so that state is the population of N + 1, finishing (N + 1)/D(s) a
 * second (exact for one exponential server: 1/S whatever n), never faster than the heaviest open state
 * (the saturation rate) nor than a smaller population (a closed network's throughput rises with its
 * population). Its requests see the open state's latencies; its work is the open model's at the rate
 * it finishes (the fixed work kept fixed), and its connections, held for the waits, the open state's ×
 * X(n)/(s·λ). The empty population holds the open states' busy servers taken to rate 0 (the fixed
 * work) and the lightest one's latencies (for what is not a sync's).
 */
function closedPopulationStates(open: ModelState[]): State[] {
  const lightest = open[0];
  const heaviest = open[open.length - 1];
  if (!lightest || !heaviest) return [];
  const states: State[] = [
    {
      inFlight: 0,
      completionsPerSecond: 0,
      durationSeconds: lightest.syncSeconds!,
      latencies: lightest.latencies!,
      busy: openBusyAtRate(open, 0),
      servers: lightest.servers,
    },
  ];
  for (const m of open) {
    const d = m.syncSeconds!;
    const inFlight = m.syncsPerSecond * d + 1;
    const last = states[states.length - 1]!;
    if (inFlight <= last.inFlight) continue;
    const completions = Math.max(last.completionsPerSecond, Math.min(heaviest.syncsPerSecond, inFlight / d));
    const more = completions / m.syncsPerSecond;
    const working = openBusyAtRate(open, completions);
    const busy: Record<string, number> = {};
    for (const [r, b] of Object.entries(m.busy))
      busy[r] = Math.min(
        m.servers[r] ?? Number.POSITIVE_INFINITY,
        HELD_FOR_THE_WAIT.has(r) ? b * more : (working[r] ?? b),
      );
    states.push({
      inFlight,
      completionsPerSecond: completions,
      durationSeconds: inFlight / completions,
      latencies: m.latencies!,
      busy,
      servers: m.servers,
    });
  }
  return states;
}

/**
 * The population mixture of a rig run asking `syncsPerSecond` (λ > 0): `at(s)` is the model with the
 * syncs at s·λ (users and other traffic unchanged), `capacity` k6's VUs for the syncs, `variability`
 * the births' and deaths' (c_a² + c_s²)/2 (sync-population.ts; 1: Poisson). Null when no state below s_K
 * has a bounded sync duration and latencies.
 */
export function populationMixture(
  syncsPerSecond: number,
  at: (scale: number) => ModelState,
  capacity: number,
  variability = 1,
): PopulationMixture | null {
  if (!(syncsPerSecond > 0)) return null;
  const carries = (s: number): boolean => !at(s).saturated;
  let lo = 0;
  let hi = 1;
  while (carries(hi) && hi < LARGEST_SCALE) {
    lo = hi;
    hi *= 2;
  }
  let knee = hi;
  if (!carries(hi)) {
    for (let i = 0; i < KNEE_STEPS; i++) {
      const mid = (lo + hi) / 2;
      if (carries(mid)) lo = mid;
      else hi = mid;
    }
    knee = lo;
  }
  if (!(knee > 0)) return null;
  const scales = [
    ...LOW_STATES.map((f) => f * knee),
    ...Array.from(
      { length: (LAST_HALVING - 2) * STATES_PER_HALVING },
      (_, i) => knee * (1 - 2 ** -(2 + (i + 1) / STATES_PER_HALVING)),
    ),
  ];
  const open: ModelState[] = [];
  for (const s of scales) {
    const m = at(s);
    if (m.saturated) continue;
    if (m.syncSeconds === null || !m.latencies || !(m.syncsPerSecond > 0)) return null;
    open.push(m);
  }
  const states = closedPopulationStates(open);
  const first = states[0];
  const last = states[states.length - 1];
  if (!first || !last) return null;
  // Where population n sits among the states: the two it lies between and its share of the way.
  const place = (n: number): { i: number; j: number; f: number } => {
    if (n <= first.inFlight) return { i: 0, j: 0, f: 0 };
    if (n >= last.inFlight) return { i: states.length - 1, j: states.length - 1, f: 0 };
    let j = 1;
    while (states[j]!.inFlight < n) j++;
    const a = states[j - 1]!;
    const b = states[j]!;
    return { i: j - 1, j, f: (n - a.inFlight) / (b.inFlight - a.inFlight) };
  };
  const completionsAt = (n: number): number => {
    if (n <= first.inFlight) return n / first.durationSeconds;
    const { i, j, f } = place(n);
    return (
      states[i]!.completionsPerSecond +
      f * (states[j]!.completionsPerSecond - states[i]!.completionsPerSecond)
    );
  };
  const population = syncPopulation(
    syncsPerSecond,
    completionsAt,
    Math.max(1, Math.round(capacity)),
    variability,
  );
  const pi = population.probabilities;
  let beyondTime = 0;
  let beyondRequests = 0;
  let requests = 0;
  for (let n = 1; n < pi.length; n++) {
    const r = pi[n]! * completionsAt(n);
    requests += r;
    if (n > last.inFlight) {
      beyondTime += pi[n]!;
      beyondRequests += r;
    }
  }
  // Past the last state a sync lasts n/μ: how much more than the last state's its wait is.
  const uncontended = first.durationSeconds;
  const stretchBeyond = (n: number): number =>
    Math.max(1, (n / last.completionsPerSecond - uncontended) / (last.durationSeconds - uncontended));
  const busy: Record<string, number> = {};
  for (const r of Object.keys(last.busy)) {
    let sum = 0;
    for (let n = 0; n < pi.length; n++) {
      if (pi[n]! < NEGLIGIBLE) continue;
      const { i, j, f } = place(n);
      const a = states[i]!.busy[r] ?? 0;
      const b = states[j]!.busy[r] ?? 0;
      const grow = n > last.inFlight && HELD_FOR_THE_WAIT.has(r) ? stretchBeyond(n) : 1;
      sum += pi[n]! * Math.min(last.servers[r] ?? Number.POSITIVE_INFINITY, (a + f * (b - a)) * grow);
    }
    busy[r] = sum;
  }
  const p95Ms: Record<string, number> = {};
  const survivals: Record<string, (ms: number) => number> = {};
  for (const endpoint of Object.keys(last.latencies)) {
    if (!states.every((s) => s.latencies[endpoint])) continue;
    const fromSyncs = endpoint.startsWith('rest.');
    // Components: (latency, weight); grid states carry their interpolated shares, states past the last one each its own.
    const weights = new Float64Array(states.length);
    const beyond: { latency: Latency; weight: number }[] = [];
    let total = 0;
    for (let n = 0; n < pi.length; n++) {
      const w = fromSyncs ? (n === 0 ? 0 : pi[n]! * completionsAt(n)) : pi[n]!;
      if (w < NEGLIGIBLE) continue;
      total += w;
      if (n > last.inFlight) {
        const l = last.latencies[endpoint]!;
        beyond.push({ latency: { ...l, waitMeanMs: l.waitMeanMs * stretchBeyond(n) }, weight: w });
        continue;
      }
      const { i, j, f } = place(n);
      weights[i]! += w * (1 - f);
      weights[j]! += w * f;
    }
    if (!(total > 0)) continue;
    const survival = (t: number): number => {
      let s = 0;
      for (let k = 0; k < states.length; k++)
        if (weights[k]! > 0) s += weights[k]! * latencySurvival(states[k]!.latencies[endpoint]!, t);
      for (const b of beyond) s += b.weight * latencySurvival(b.latency, t);
      return s / total;
    };
    // The mixture's p95 lies above the lightest state's and below the point where the tail is 5 %.
    let low = latencyQuantile(first.latencies[endpoint]!, 0.95) * 0.5;
    let high = Math.max(low * 2, latencyQuantile(last.latencies[endpoint]!, 0.95));
    while (survival(high) > 0.05 && high < 1e9) high *= 2;
    for (let k = 0; k < 60 && high - low > 1e-6 * high; k++) {
      const mid = (low + high) / 2;
      if (survival(mid) > 0.05) low = mid;
      else high = mid;
    }
    p95Ms[endpoint] = (low + high) / 2;
    survivals[endpoint] = survival;
  }
  return {
    meanInFlight: population.meanInFlight,
    droppedShare: population.droppedShare,
    p95Ms,
    survival: survivals,
    busy,
    saturationSyncsPerSecond: knee * syncsPerSecond,
    states: states.length,
    lastState: { inFlight: last.inFlight, syncsPerSecond: last.completionsPerSecond },
    beyondLastState: { timeShare: beyondTime, requestShare: requests > 0 ? beyondRequests / requests : 0 },
  };
}
