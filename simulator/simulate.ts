import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import { type Assumptions, defaultAssumptions } from './assumptions.ts';
import type { Calibration } from './calibration.ts';
import { cheapestConfiguration, computeForPolicy, policyCost } from './cost.ts';
import { databaseMemoryOf } from './data-size-context.ts';
import { type DatabaseMemory, type DataSizeInput, dataSizeCarry } from './data-size-demand.ts';
import { type DataSizeSettings, dataSizeSettingsOf } from './data-size-settings.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import type { DesPattern } from './des/patterns.ts';
import { predictDes } from './des/predict.ts';
import type { Knee } from './knee.ts';
import { findKnee } from './knee.ts';
import { llmLoadOf } from './llm.ts';
import { applyLoad } from './load.ts';
import { atDurationScale } from './machine-speed.ts';
import { sustainedCores } from './monthly-usage.ts';
import type { Prediction, SimulationMode } from './prediction.ts';
import type { Pricing } from './pricing.ts';
import type { AbuseAssumption } from './rate-limit.ts';
import { NO_ABUSE } from './rate-limit.ts';
import type { Targets } from './targets.ts';

/** Inputs of {@link simulate}. */
export interface SimulateInput {
  profile: Profile;
  policies: Policy[];
  /** Registered users (with `assumptions`; without, the profile's onlineShare says who is online). */
  users: number[];
  /**
   * The load, upstream and language-model assumptions (simulator/assumptions.ts), applied to the profile
   * and every policy by load.ts. Absent: the profile and policies as they are.
   */
  assumptions?: Assumptions;
  mode?: SimulationMode;
  calibration?: Calibration;
  targets?: Targets;
  pricing?: Pricing;
  /** Seed of the DES PRNG. */
  seed?: number;
  /** Abusive users (the stress case): share of the online users of their tiers and their sends per minute. */
  abuse?: AbuseAssumption;
  /** Database cores when no pricing names the policy's plan (default 2: Supabase Micro). */
  databaseCores?: number;
  /** Backend vCPUs: with a CPU calibration, the app tier becomes a queue (`app.cpu`); absent, it is not modelled. */
  appCores?: number;
  /**
   * Predict the measuring rig instead of a deployment: target, database, k6 and the host's other load
   * share `cores` (one `host.cpu` resource; needs a CPU calibration). `otherCores`: the other processes'
   * load on the host, cores, and `stolenCores` the hypervisor's (default: the calibration's, measured in
   * its runs). Default: a deployment.
   */
  rig?: { cores: number; otherCores?: number; stolenCores?: number };
  /**
   * Carry the calibration's demands from the seeded dataset its runs measured to the data size of each
   * prediction's users (N users × conversations × the reference messages per conversation;
   * data-size-demand.ts; deployments only, never `rig`). Absent: demands as measured.
   */
  dataSize?: DataSizeInput;
  /** DES: arrival pattern, simulated seconds per point (default 120), warm-up discarded (default 20), sample spacing (default 1 s). */
  des?: {
    pattern?: DesPattern;
    durationSeconds?: number;
    warmupSeconds?: number;
    sampleEverySeconds?: number;
  };
}

/** Output of {@link simulate}. */
export interface SimulationResult {
  profile: string;
  mode: SimulationMode;
  targets: Targets;
  calibration: Calibration;
  predictions: Prediction[];
  knees: Knee[];
}

/** Database cores when no pricing names the plan: Supabase Micro, "2-core ARM (shared)". */
export const DEFAULT_DATABASE_CORES = 2;

/**
 * The calibration a prediction reads: on a deployment, every duration and CPU figure × the
 * serviceDemandScale assumption (the deployment's speed against this machine's runs); on the rig, as
 * measured (the rig is the machine its runs measured).
 */
export function deploymentCalibration(input: SimulateInput): Calibration {
  const cal = input.calibration ?? defaultCalibration();
  const scale = input.assumptions?.serviceDemandScale.value ?? 1;
  return input.rig ? cal : atDurationScale(cal, scale);
}

/** Model context of one policy: calibration, targets, sustained cores of its plan, abuse, language model. */
export function contextFor(input: SimulateInput, policy: Policy): ModelContext {
  const cores = input.pricing
    ? sustainedCores(computeForPolicy(input.pricing, policy))
    : (input.databaseCores ?? DEFAULT_DATABASE_CORES);
  return {
    calibration: deploymentCalibration(input),
    targets: input.targets ?? defaultTargets(),
    cores: input.databaseCores ?? cores,
    abuse: input.abuse ?? NO_ABUSE,
    placement: input.rig ? { kind: 'rig', ...input.rig } : { kind: 'deployment' },
    appCores: input.appCores ?? null,
    ...(input.assumptions ? { assumptions: input.assumptions, llm: llmLoadOf(input.assumptions) } : {}),
  };
}

/** The database memory of a policy's deployment: its compute size's RAM × the data dials' shares. */
export function databaseMemoryFor(
  input: SimulateInput,
  policy: Policy,
  settings: DataSizeSettings = dataSizeSettingsOf(input.assumptions ?? defaultAssumptions()),
): DatabaseMemory {
  return databaseMemoryOf(input.pricing ? computeForPolicy(input.pricing, policy) : null, settings);
}

/** What the model reads for one policy: profile and policy with the load assumptions applied, and its context. */
export interface PolicyModel {
  profile: Profile;
  policy: Policy;
  ctx: ModelContext;
}

/**
 * Applies the input's assumptions (if any) to its profile and one policy, and builds the context; with
 * `dataSize` (and not the rig), the carry that gives each prediction the data size of its own users on
 * the policy's database memory (the context's calibration: the carry at the profile's own users).
 */
export function modelFor(input: SimulateInput, policy: Policy): PolicyModel {
  const applied = input.assumptions
    ? applyLoad(input.profile, policy, input.assumptions)
    : { profile: input.profile, policy };
  const ctx = contextFor(input, applied.policy);
  if (input.dataSize && !input.rig) {
    const settings = dataSizeSettingsOf(input.assumptions ?? defaultAssumptions());
    const carry = dataSizeCarry(ctx.calibration, input.dataSize, applied.profile, applied.policy, settings);
    const memory = databaseMemoryFor(input, applied.policy, settings);
    ctx.dataSize = { carry, memory, settings };
    ctx.calibration = carry.at(applied.profile.users, memory);
  }
  return { ...applied, ctx };
}

/** One point: the prediction of a policy at N users, with its cost and the cheapest accepted configuration. */
export function predictPoint(input: SimulateInput, model: PolicyModel, users: number): Prediction {
  const { profile, policy, ctx } = model;
  const p =
    (input.mode ?? 'analytic') === 'des'
      ? predictDes(profile, policy, users, ctx, { seed: input.seed ?? 1, ...input.des })
      : predictAnalytic(profile, policy, users, ctx);
  if (input.pricing) {
    p.cost = policyCost(input.pricing, profile, policy, p, ctx);
    const found = cheapestConfiguration(input.pricing, profile, policy, users, ctx);
    p.cheapest = found.cheapest;
    if (found.none) p.noConfiguration = found.none;
  }
  return p;
}

/**
 * Predicts every policy at every number of users (pure): workload, resources, latencies, errors, the
 * cost of the policy's configuration and of the cheapest one meeting the targets, and each policy's knee.
 */
export function simulate(input: SimulateInput): SimulationResult {
  const mode = input.mode ?? 'analytic';
  if (input.policies.length === 0) throw new RangeError('simulate needs at least one policy');
  for (const n of input.users)
    if (!(Number.isFinite(n) && n > 0)) throw new RangeError(`users must be positive numbers, got ${n}`);
  if (input.rig && !(input.rig.cores >= 1))
    throw new RangeError(`rig cores must be at least 1, got ${input.rig.cores}`);
  if (input.rig && !(input.calibration ?? defaultCalibration()).cpu)
    throw new RangeError('predicting the rig needs a calibration from run records with CPU measurements');
  if (input.rig?.otherCores !== undefined && !(input.rig.otherCores >= 0))
    throw new RangeError(`rig other load must be >= 0 cores, got ${input.rig.otherCores}`);
  if (input.rig?.stolenCores !== undefined && !(input.rig.stolenCores >= 0))
    throw new RangeError(`rig stolen time must be >= 0 cores, got ${input.rig.stolenCores}`);
  if (input.appCores !== undefined && !(input.appCores >= 1))
    throw new RangeError(`app cores must be at least 1, got ${input.appCores}`);
  const predictions: Prediction[] = [];
  const knees = [];
  for (const policy of input.policies) {
    const model = modelFor(input, policy);
    for (const users of input.users) predictions.push(predictPoint(input, model, users));
    // The knee is searched with the analytical model in both modes (a DES per bisection step is too slow).
    knees.push(findKnee(model.profile, model.policy, model.ctx));
  }
  return {
    profile: input.profile.name,
    mode,
    targets: input.targets ?? defaultTargets(),
    calibration: input.calibration ?? defaultCalibration(),
    predictions,
    knees,
  };
}
