import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import { ACTIVITY_CLASSES, TIERS } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { endpointLatencies, predictAnalytic } from './analytic.ts';
import { coresAt } from './cpu-at-load.ts';
import { logNormalFromMedianP95, logNormalMean } from './distributions.ts';
import { idleShare, wakeFactor } from './idle-vcpu-wake.ts';
import { findKnee } from './knee.ts';
import {
  type GeneratorStream,
  k6Vus,
  messageIterationEstimateSeconds,
  type StreamOutcome,
  streamOutcomes,
  sustainableShare,
  syncIterationEstimateSeconds,
  vuSecondsPerIteration,
} from './load-generator.ts';
import { type ModelState, type PopulationMixture, populationMixture } from './population-mixture.ts';
import type { Prediction, ResourceName, ResourcePrediction } from './prediction.ts';
import { type RigAdmission, rigAdmission } from './rig-admission.ts';
import { rigCalibrationAtData, rigPageReadsOf } from './rig-data-size.ts';
import { scenarioLoad } from './scenario-load.ts';
import { K6_SCHEDULE_VARIABILITY } from './sync-population.ts';
import { ENDPOINTS } from './workload.ts';

// A prediction of one run as it was run: its scenario's traffic only (scenario-load.ts), its users,
// policy and profile, on its machine, with k6 in the loop (load-generator.ts): when the iterations
// outlast k6's VUs the achieved rate falls short of the asked one and the rest is dropped. Pure.

/** launch-mix's /healthz iterations per second (plan.ts HEALTH_RATE): in the run's iteration rate. */
const LAUNCH_MIX_HEALTH_RATE = 1;

/** What a run is predicted to measure. */
export interface RunPrediction {
  /** Iterations per second k6 is predicted to achieve (syncs, messages, health checks). */
  throughput: number;
  /** Iterations per second the open model asked for. */
  askedThroughput: number;
  /** p95 per endpoint the run sends, ms (null: unbounded). */
  p95Ms: Record<string, number | null>;
  /** Mean busy servers per resource (offered load, at most the servers); on the rig `k6.cpu`, k6's cores. */
  busy: Record<string, number>;
  /** True when a resource is saturated at the asked load or k6 could not keep up. */
  saturated: boolean;
  /** Iterations dropped over `durationSeconds`. */
  droppedIterations: number;
  /**
   * On the rig where the target's admission limit sheds (rig-admission.ts): the sockets' bounded
   * queue, the share of every endpoint's requests answered 503, the admitted messages' latency. Absent
   * otherwise.
   */
  admission?: RigAdmission;
  /** Share of the asked rate achieved (1: the open model held). */
  achievedShare: number;
  /** Per k6 scenario: asked, achieved, dropped, busy VUs. */
  streams: StreamOutcome[];
  /**
   * The model's prediction at the achieved load (all figures); where the target sheds (`admission`),
   * at the load it serves, every endpoint's requests less the shed share.
   */
  prediction: Prediction;
  /** Resources saturated at the achieved load as offered (shed requests included). */
  saturatedResources: ResourceName[];
  /** Resources saturated at the asked load (k6 keeping up or not). */
  saturatedAtAsked: ResourceName[];
  /**
   * On the rig with its shared_buffers known: pages an iteration reads from outside them at the run's
   * data (rig-data-size.ts; syncs read, other iterations none). Absent otherwise.
   */
  pageReadsPerIteration?: number;
  /**
   * On the rig with syncs run as chains, below the knee and past it: the syncs in flight as a
   * population (population-mixture.ts), whose mixture gives the endpoints' p95s, the busy servers,
   * the syncs dropped and `busyVUs` of the sync streams. Absent otherwise (and in knee searches).
   */
  population?: PopulationMixture;
}

/**
 * Busy servers of a resource as a run measures it: offered load, but for the event loop its thread's
 * CPU (a run measures the target process's CPU, not the time its turns spend waiting for a core).
 */
function busyOf(r: ResourcePrediction): number {
  return r.threadCpuCores ?? r.offeredLoad;
}

/** Inputs of {@link predictRun}. */
export interface RunToPredict {
  scenario: string;
  users: number;
  profile: Profile;
  policy: Policy;
  durationSeconds: number;
}

/** k6's streams of a scenario at `users`: one per activity class (syncs) and per tier (messages). */
function generatorStreams(
  profile: Profile,
  policy: Policy,
  at: Prediction,
  maxVUsCap: number | undefined,
): GeneratorStream[] {
  const w = at.workload;
  const syncIter = syncIterationEstimateSeconds(policy.sync.mode, profile.conversationsPerUser.mean);
  const up = policy.upstream.latencyMs;
  const msgIter = messageIterationEstimateSeconds(logNormalMean(logNormalFromMedianP95(up.median, up.p95)));
  return [
    ...ACTIVITY_CLASSES.map((cls) => ({
      name: `sync_${cls}`,
      askedPerSecond: w.syncsPerSecondByClass[cls],
      maxVUs: k6Vus(
        w.syncsPerSecondByClass[cls],
        vuSecondsPerIteration(w.syncsPerSecondByClass[cls], syncIter),
        maxVUsCap,
      ).maxVUs,
    })),
    ...TIERS.map((tier) => ({
      name: `message_${tier}`,
      askedPerSecond: w.messagesPerSecondByTier[tier],
      maxVUs: k6Vus(
        w.messagesPerSecondByTier[tier],
        vuSecondsPerIteration(w.messagesPerSecondByTier[tier], msgIter),
        maxVUsCap,
      ).maxVUs,
    })),
  ];
}

/**
 * Mean time a VU is held per iteration of each stream of a prediction, s (its arrival delay included;
 * null: unbounded); a message's from the admission limit where it sheds (a shed one returns at once).
 */
function iterationTimes(
  p: Prediction,
  streams: GeneratorStream[],
  gapMsPerRequest: number,
  admission: RigAdmission | null,
): (number | null)[] {
  const sync = p.endpoints.find((e) => e.endpoint === 'sync');
  const msg = p.endpoints.find((e) => e.endpoint === ENDPOINTS.message);
  const perSync =
    p.workload.syncsPerSecond > 0 ? p.workload.requestsPerSecond / p.workload.syncsPerSecond : 0;
  return streams.map((s) => {
    if (admission && !s.name.startsWith('sync_'))
      return vuSecondsPerIteration(s.askedPerSecond, admission.messageIterationS);
    const e = s.name.startsWith('sync_') ? sync : msg;
    if (!e || e.meanMs === null) return null;
    const gap = s.name.startsWith('sync_') ? perSync * gapMsPerRequest : 0;
    return vuSecondsPerIteration(s.askedPerSecond, (e.meanMs + gap) / 1000);
  });
}

/** VUs a stream at `perSecond` holds in its iterations' arrival delays (rate × the delay's mean; half a VU for a stream of a beat a second or faster). */
function arrivalDelayVUs(perSecond: number): number {
  return perSecond * vuSecondsPerIteration(perSecond, 0);
}

/** Busy servers per resource as a run measures them (busyOf), at most the servers, of every resource in use. */
function measuredBusy(p: Prediction): Record<string, number> {
  const busy: Record<string, number> = {};
  for (const r of p.resources)
    if (r.arrivalRate > 0 || r.name === 'host.cpu') busy[r.name] = Math.min(r.servers, busyOf(r));
  return busy;
}

/** Resources a sync's requests do not use: the upstream sockets and the language-model provider's limits. */
function offSyncPath(resource: string): boolean {
  return resource === 'upstream.sockets' || resource.startsWith('llm.');
}

/** A prediction as one state of the syncs' population (population-mixture.ts); `gapMs`: k6's gap per request. */
function modelState(p: Prediction, gapMs: number): ModelState {
  const sync = p.endpoints.find((e) => e.endpoint === 'sync');
  const w = p.workload;
  const perSync = w.syncsPerSecond > 0 ? w.requestsPerSecond / w.syncsPerSecond : 0;
  return {
    saturated: p.resources.some((r) => r.saturated && !offSyncPath(r.name)),
    syncsPerSecond: w.syncsPerSecond,
    syncSeconds: !sync || sync.meanMs === null ? null : (sync.meanMs + perSync * gapMs) / 1000,
    latencies: endpointLatencies(p),
    busy: measuredBusy(p),
    servers: Object.fromEntries(p.resources.map((r) => [r.name, r.servers])),
  };
}

/**
 * Predicts what a run of `run.scenario` measured: the scenario's traffic at its users, k6's VU bound
 * closing the loop (the achieved share φ is found where every stream's busy VUs fit), and the figures
 * at φ; on the rig, with syncs as chains (below the knee and past it), the figures over the syncs' population
 * (population-mixture.ts) unless `population` is false (a knee search reads the saturation alone).
 * `maxVUsCap`: k6's cap per scenario (default the runner's 200). Throws a RangeError for a scenario
 * that is not a workload (scenario-load.ts).
 */
export function predictRun(
  run: RunToPredict,
  ctx: ModelContext,
  maxVUsCap?: number,
  population = true,
): RunPrediction {
  const load = scenarioLoad(run.scenario, run.profile, run.policy, run.users);
  if (!load)
    throw new RangeError(`scenario ${run.scenario} sends no workload the model predicts (probes only)`);
  // Every figure here is a state of the syncs' population or its mixture (population-mixture.ts), so
  // each state holds its chains' count (ModelContext.populationState), with or without the mixture.
  // On the rig, at the run's own data: its seeded users on its shared_buffers (rig-data-size.ts), at
  // every share of the asked rate (k6 dropping iterations does not shrink the database).
  const placement = ctx.placement;
  const data =
    placement?.kind === 'rig' && placement.sharedBuffersBytes !== undefined
      ? {
          profile: load.profile,
          policy: load.policy,
          users: run.users,
          sharedBuffersBytes: placement.sharedBuffersBytes,
        }
      : null;
  const reads = data ? rigPageReadsOf(data) : null;
  const calibration = data && reads ? rigCalibrationAtData(ctx.calibration, data, reads) : ctx.calibration;
  const c: ModelContext = { ...ctx, calibration, abuse: load.abuse, populationState: true };
  const at = (share: number): Prediction => predictAnalytic(load.profile, load.policy, run.users * share, c);
  const full = at(1);
  const streams = generatorStreams(load.profile, load.policy, full, maxVUsCap);
  const gap = ctx.calibration.cpu?.chains?.gapMsPerRequest ?? 0;
  // On the rig the reference target's admission limit bounds the messages' line for a socket and sheds
  // the rest of every endpoint's requests (rig-admission.ts).
  const admissionAt = (q: Prediction, p95: boolean): RigAdmission | null =>
    placement?.kind === 'rig' ? rigAdmission(q, load.policy, p95) : null;
  const share = sustainableShare(streams, (s) => {
    const q = at(s);
    return iterationTimes(q, streams, gap, admissionAt(q, false));
  });
  const p = share === 1 ? full : at(share);
  const admission = admissionAt(p, population);
  const outcomes = streamOutcomes(streams, iterationTimes(p, streams, gap, admission));
  // What the target serves where it sheds: every endpoint's requests less the shed share (a shed
  // request does no work), taken as the same traffic scaled by 1 − shed; k6 still sends them all.
  const servedScale = admission ? 1 - admission.shedShare : 1;
  const served = admission ? at(share * servedScale) : p;
  const health = run.scenario === 'launch-mix' ? LAUNCH_MIX_HEALTH_RATE : 0;
  const saturated = share < 1 || full.resources.some((r) => r.saturated);
  // Syncs run as chains on the rig (a chain calibration): their population, below the knee and past it.
  const chains = ctx.calibration.cpu?.chains !== undefined && full.workload.syncsPerSecond > 0;
  const mixture =
    population && chains && ctx.placement?.kind === 'rig'
      ? populationMixture(
          full.workload.syncsPerSecond * servedScale,
          (scale) =>
            modelState(
              predictAnalytic(load.profile, load.policy, run.users * servedScale, {
                ...c,
                syncRateScale: scale,
              }),
              gap,
            ),
          // k6's VUs for the syncs' work: each sync stream's, less those its arrival delays hold.
          streams
            .filter((s) => s.name.startsWith('sync_'))
            .reduce((sum, s) => sum + s.maxVUs - arrivalDelayVUs(s.askedPerSecond), 0),
          K6_SCHEDULE_VARIABILITY,
        )
      : null;
  const p95Ms: Record<string, number | null> = {};
  for (const e of served.endpoints)
    if (e.endpoint !== 'sync' && e.ratePerSecond > 0)
      p95Ms[e.endpoint] =
        admission?.messageP95Ms !== undefined && e.endpoint === ENDPOINTS.message
          ? admission.messageP95Ms
          : (mixture?.p95Ms[e.endpoint] ?? e.p95Ms);
  const busy = mixture ? { ...measuredBusy(served), ...mixture.busy } : measuredBusy(served);
  if (admission) busy['upstream.sockets'] = admission.sockets.busyServers;
  // k6's own CPU on the rig (cores) at the run's requests per second, as calibrated (cpu-at-load.ts).
  const k6 = ctx.calibration.cpu;
  if (k6 && ctx.placement?.kind === 'rig') {
    // With its wake-ups onto idle vCPUs at the host's predicted load (idle-vcpu-wake.ts).
    const host = served.resources.find((r) => r.name === 'host.cpu');
    const w = k6.idleWake;
    const wake =
      w && host ? wakeFactor(w.loadGenerator, w.fitIdleShare, idleShare(host.servers, host.offeredLoad)) : 1;
    busy['k6.cpu'] = coresAt(k6.loadGenerator, p.workload.requestsPerSecond) * wake;
  }
  // The population's drops and busy VUs take the sync streams' place (shared by their asked rates).
  const syncAsked = outcomes
    .filter((o) => o.name.startsWith('sync_'))
    .reduce((sum, o) => sum + o.askedPerSecond, 0);
  const withPopulation = mixture
    ? outcomes.map((o) => {
        if (!o.name.startsWith('sync_') || syncAsked <= 0) return o;
        const part = o.askedPerSecond / syncAsked;
        const droppedPerSecond = o.askedPerSecond * mixture.droppedShare;
        // Its VUs hold its share of the syncs in flight and, as in iterationTimes, its arrival delays.
        return {
          ...o,
          achievedPerSecond: o.askedPerSecond - droppedPerSecond,
          droppedPerSecond,
          busyVUs:
            mixture.meanInFlight * part + arrivalDelayVUs(o.askedPerSecond) * (1 - mixture.droppedShare),
        };
      })
    : outcomes;
  const dropped = withPopulation.reduce((s, o) => s + o.droppedPerSecond, 0) * run.durationSeconds;
  const asked = withPopulation.reduce((s, o) => s + o.askedPerSecond, 0) + health;
  return {
    throughput: withPopulation.reduce((s, o) => s + o.achievedPerSecond, 0) + health,
    askedThroughput: asked,
    ...(reads && asked > 0 ? { pageReadsPerIteration: (reads.perSync * syncAsked) / asked } : {}),
    p95Ms,
    busy,
    saturated,
    droppedIterations: dropped,
    ...(admission ? { admission } : {}),
    achievedShare: share,
    streams: withPopulation,
    prediction: served,
    saturatedResources: p.resources.filter((r) => r.saturated).map((r) => r.name),
    saturatedAtAsked: full.resources.filter((r) => r.saturated).map((r) => r.name),
    ...(mixture ? { population: mixture } : {}),
  };
}

/** What a saturation knee names: the users, the resource that saturates first, and why. */
export interface SaturationKnee {
  /** Largest users whose run the model says carries its offered load (null: not even one user). */
  users: number | null;
  /** The resource most utilised just past it (what a run past the knee finds busiest). */
  bottleneck: ResourceName | null;
  /** Its utilisation just past the knee as a run measures it (busy over servers, may exceed 1). */
  utilisation: number;
  /** What stops the load being carried just past it: a saturated resource or k6's VUs. */
  limitedBy: string;
}

/** Where past the knee a run's busiest resource names the bottleneck, × the knee (with the syncs' population). */
const PAST_THE_KNEE = 1.1;

/** The users bisection of {@link saturationKnee} stops at (relative width of the bracket). */
const SATURATION_TOLERANCE = 0.005;

/**
 * The saturation knee of a scenario's traffic as it is run (issue 12, bench:knee's K): the largest
 * users at which the predicted run still carries what it is offered: no resource saturated (every
 * utilisation < 1, the layered holds included) and k6's VUs keep up (achieved share 1). The decision
 * rule's knee (`scenarioKnee`, 80 % headroom and budgets) is below it. Bisection on log N to 0.5 %.
 */
export function saturationKnee(
  scenario: string,
  profile: Profile,
  policy: Policy,
  ctx: ModelContext,
  maxVUsCap?: number,
): SaturationKnee {
  const carries = (users: number): boolean =>
    !predictRun({ scenario, users, profile, policy, durationSeconds: 60 }, ctx, maxVUsCap, false).saturated;
  const max = 10_000_000;
  if (!carries(1)) return { users: null, bottleneck: null, utilisation: 0, limitedBy: 'saturated at 1 user' };
  if (carries(max))
    return { users: max, bottleneck: null, utilisation: 0, limitedBy: 'nothing below 10M users' };
  let lo = 1;
  let hi = max;
  while (hi / lo > 1 + SATURATION_TOLERANCE) {
    const mid = Math.sqrt(lo * hi);
    if (carries(mid)) lo = mid;
    else hi = mid;
  }
  const load = scenarioLoad(scenario, profile, policy, hi);
  if (!load) throw new RangeError(`scenario ${scenario} sends no workload the model predicts (probes only)`);
  const limitedBy = (names: string[]): string =>
    names.length > 0
      ? `${names.join(', ')} saturated at ${Math.ceil(hi)} users`
      : `k6's VUs run out at ${Math.ceil(hi)} users (iterations dropped)`;
  // With the syncs' population (the rig's chains): past the knee it piles up towards k6's VUs and the
  // pool's connections, held for the waits, fill; named as a run a tenth past it measures it (busy
  // over servers; just past it the pile-up has barely begun).
  const run = predictRun(
    { scenario, users: lo * PAST_THE_KNEE, profile, policy, durationSeconds: 60 },
    ctx,
    maxVUsCap,
  );
  if (run.population) {
    const servers = new Map(run.prediction.resources.map((r) => [r.name, r.servers]));
    const busiest = Object.entries(run.busy)
      .filter(([name]) => (servers.get(name as ResourceName) ?? 0) > 0 && !name.startsWith('llm.'))
      .map(([name, busy]) => ({
        name: name as ResourceName,
        u: busy / (servers.get(name as ResourceName) ?? 1),
      }))
      .sort((a, b) => b.u - a.u)[0];
    return {
      users: Math.floor(lo),
      bottleneck: busiest?.name ?? null,
      utilisation: busiest?.u ?? 0,
      limitedBy: limitedBy(run.saturatedResources),
    };
  }
  const past = predictAnalytic(load.profile, load.policy, hi, { ...ctx, abuse: load.abuse });
  // Named as a run would find it: the busiest by what a run measures (busyOf; a loop stretched past
  // its thread's CPU by the host is the host's contention, and the host reads busiest).
  const busiest = past.resources
    .filter((r) => !r.name.startsWith('llm.') && r.servers > 0)
    .map((r) => ({ r, u: busyOf(r) / r.servers }))
    .sort((a, b) => b.u - a.u)[0];
  const saturated = past.resources.filter((r) => r.saturated).map((r) => r.name);
  return {
    users: Math.floor(lo),
    bottleneck: busiest?.r.name ?? null,
    utilisation: busiest?.u ?? 0,
    limitedBy: limitedBy(saturated),
  };
}

/** The knee of a scenario's traffic: the largest users meeting the budgets, and its bottleneck. */
export function scenarioKnee(
  scenario: string,
  profile: Profile,
  policy: Policy,
  users: number,
  ctx: ModelContext,
): { users: number | null; bottleneck: ResourceName | null; limitedBy: string } {
  const load = scenarioLoad(scenario, profile, policy, users);
  if (!load) throw new RangeError(`scenario ${scenario} sends no workload the model predicts (probes only)`);
  const c: ModelContext = { ...ctx, abuse: load.abuse };
  const knee = findKnee(load.profile, load.policy, c);
  if (knee.users === null || knee.unbounded)
    return { users: knee.users, bottleneck: null, limitedBy: knee.limitedBy };
  // The resource busiest just past the knee is what breaks first.
  const past = predictAnalytic(load.profile, load.policy, knee.users * 1.01, c);
  return { users: knee.users, bottleneck: past.verdict.bottleneck, limitedBy: knee.limitedBy };
}
