import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy, type Policy } from '../../core/policy.ts';
import { loadProfile, type Profile } from '../../core/profile.ts';
import type { LoadedRun } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';
import type { Assumption, LiveStatus, Review, StressRow } from '../../reports/index.ts';
import { buildReview, claimRow, renderReview, writeReview } from '../../reports/index.ts';
import {
  ASSUMPTION_NAMES,
  analyseUncertainty,
  analyticDecisionModel,
  calibrate,
  decide,
  evaluateClaims,
  loadSentence,
  modelFor,
  type Prediction,
  predictDes,
  type SimulateInput,
  seedCostEstimates,
  simulate,
} from '../../simulator/index.ts';
import { calibrationRuns, dataSizeInputs, resolveAssumptions } from '../inputs/model-inputs.ts';
import { compactTime } from '../lib/compact-time.ts';
import { throwIfInterrupted } from '../run/interrupt.ts';
import type { LiveSnapshot } from '../run/live-line.ts';
import { gitInfo } from '../run/record.ts';
import type { RunEnvironment } from '../run/run-options.ts';
import { parseFlags, REVIEW_FLAGS } from './flags/index.ts';
import { liveCalibration } from './review-live.ts';

export { LIVE_RUNS } from './review-live.ts';

import { loadPricing } from '../inputs/pricing.ts';
import { loadReadinessClaims } from '../inputs/readiness-claims.ts';
import { findRunDirs, loadRun } from '../inputs/run-records.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Defaults of `atlas-cap review`, in one place (autocannon style). */
export const REVIEW_DEFAULTS = {
  profile: 'ci-smoke',
  policies: ['current', 'fixed', 'scale'],
  users: [1000, 10_000, 100_000],
  runs: [join(ROOT, 'reports', 'runs')],
  out: join(ROOT, 'reports', 'out'),
  /**
   * Seconds of load per live calibration run: short, so `npm start` (three runs and the knee step)
   * stays under 90 s on a warm machine.
   */
  liveSeconds: 10,
  /** Monte Carlo draws over the assumptions' ranges, and its seed. */
  draws: 1000,
  seed: 1,
  /**
   * The Monte Carlo's knee per draw (simulator/uncertainty.ts): a search per draw. The response surface
   * is faster but missed `current`'s P50 by a quarter on `npm start`'s records of 2026-12-06.
   */
  knees: 'exact' as 'surface' | 'exact',
} as const;

/** The what-if's slider axes beside the load (monthly active share, followed continuously). */
export const WHAT_IF_AXES = [
  'messagesPerMinuteAtPeak',
  'upstreamMedianMs',
  'paidShare',
  'poolScale',
] as const;

/** Options of {@link runReview}; the CLI parses its flags into exactly this. */
export interface ReviewOptions {
  live: boolean;
  /** Folders holding run records (or run folders themselves); default reports/runs. */
  runs: string[];
  /** Parent folder of the output: the review goes to <out>/<time>/ and <out>/latest points at it. */
  out: string;
  profile: string;
  policies: string[];
  users: number[];
  liveSeconds: number;
  /** `--set name=value` assumptions (simulator/assumptions.ts), applied after the profile's own. */
  sets?: string[];
  /** Tornado, flip points, Monte Carlo and what-if (default true; `--no-sensitivity` skips them). */
  sensitivity?: boolean;
  /** Monte Carlo draws (default 1,000) and seed (default 1). */
  draws?: number;
  seed?: number;
  /** The Monte Carlo's knee per draw: the response surface (default) or an exact search. */
  knees?: 'surface' | 'exact';
  databaseUrl?: string | undefined;
  /** The environment as the CLI read it (DATABASE_URL, REDIS_URL, …) for the live runs; absent: none. */
  environment?: RunEnvironment;
  log?: (line: string) => void;
  /** The live line of each run, its end, and Ctrl-C (see scripts/run/live-view.ts, interrupt.ts). */
  progress?: (snapshot: LiveSnapshot) => void;
  onRunEnd?: () => void;
  signal?: AbortSignal;
  /** Clock, injectable for tests. */
  now?: () => Date;
}

/** Result of a review: where it went and what it says. */
export interface ReviewResult {
  dir: string;
  latest: string;
  review: Review;
}

/** Keeps the newest run record per scenario, users and policy (reruns replace older measurements). */
export function latestRuns(runs: readonly LoadedRun[]): LoadedRun[] {
  const byKey = new Map<string, LoadedRun>();
  for (const run of runs) {
    const r = run.record;
    const key = `${r.scenario}|${r.users}|${r.policy.name}`;
    const seen = byKey.get(key);
    if (!seen || seen.record.startedAt < r.startedAt) byKey.set(key, run);
  }
  return [...byKey.values()];
}

function validate(options: ReviewOptions): { profile: Profile; policies: Policy[] } {
  const profile = loadProfile(options.profile);
  if (options.policies.length === 0) throw new UsageError('--policies', 'name at least one policy');
  const policies = options.policies.map((p) => loadPolicy(p, '--policies'));
  // The library takes numbers; the same rules as the CLI's flags.
  parseFlags(REVIEW_FLAGS.pick({ users: true, liveSeconds: true }), options);
  const draws = options.draws ?? REVIEW_DEFAULTS.draws;
  if (!Number.isInteger(draws) || draws < 1 || draws > 100_000)
    throw new UsageError('--draws', `must be a whole number from 1 to 100000, got ${draws}`);
  const seed = options.seed ?? REVIEW_DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new UsageError('--seed', `must be a whole number, got ${seed}`);
  return { profile, policies };
}

/**
 * Builds the readiness review: (optionally) a short live calibration, then the simulator for every
 * policy x scale, the run records found, the review model, and its HTML, Markdown, charts and JSON.
 */
export async function runReview(options: ReviewOptions): Promise<ReviewResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const { profile, policies } = validate(options);
  // The first runs folder receives the live runs and may not exist yet; the others must.
  for (const dir of options.runs.slice(options.live ? 1 : 0)) {
    if (!existsSync(dir) && !REVIEW_DEFAULTS.runs.includes(dir as never)) {
      throw new UsageError('--runs', `no such folder: ${dir}`);
    }
  }
  const pricing = loadPricing();
  const assumptions = resolveAssumptions(profile, pricing, options.sets ?? []);
  const claims = loadReadinessClaims();

  const measuredLive = options.live
    ? await liveCalibration(
        {
          ...options,
          runsDir: options.runs[0] ?? REVIEW_DEFAULTS.runs[0],
          environment: options.environment ?? {},
          log,
          now,
        },
        profile,
      )
    : null;
  throwIfInterrupted(
    options.signal,
    'interrupted: the runs so far are in the runs folder; no review written',
  );
  const live: LiveStatus = measuredLive?.status ?? {
    mode: 'no-live',
    ran: [],
    skipped: [{ what: 'live calibration', why: '--no-live: simulator and existing run records only' }],
  };

  const found = findRunDirs(options.runs).map((d) => loadRun(d, '--runs'));
  const sameProfile = found.filter((r) => r.record.profile.name === profile.name);
  if (sameProfile.length < found.length) {
    live.skipped.push({
      what: `${found.length - sameProfile.length} run record(s) of other profiles`,
      why: `the review predicts profile ${profile.name}; measurements of another workload are not comparable`,
    });
  }
  const runs = latestRuns(sameProfile);
  const calRuns = calibrationRuns(found, profile.name);
  const { points, input: dataSize } = dataSizeInputs(calRuns, found);

  const input: SimulateInput = {
    profile,
    policies,
    users: options.users,
    pricing,
    assumptions,
    // The same pipeline as `simulate` (scripts/inputs/model-inputs.ts): steady runs of this profile, newest
    // per scenario/users/policy; base verdicts carry no abusive traffic (the stress rows below do).
    calibration: calibrate(calRuns),
    // Predictions at the data size of their users (the same input as `simulate`).
    dataSize,
  };
  const simulation = simulate(input);
  const stress: StressRow[] = policies.flatMap((policy) =>
    options.users.map((users) => {
      const d = decide({ ...input, policy, users, stress: true, knee: false });
      const limits = d.prediction.rateLimits.filter((r) => r.abusiveRate > 0);
      const abusive = limits.reduce((s, r) => s + r.abusiveRate, 0);
      return {
        label: d.stress ?? '',
        policy: policy.name,
        users,
        verdict: d.verdict,
        reasons: d.reasons,
        abusiveRejectedShare:
          abusive > 0 ? limits.reduce((s, r) => s + r.abusiveRate * r.abusiveRejectedShare, 0) / abusive : 0,
      };
    }),
  );
  // Sensitivity and uncertainty, from the same inputs through the same decision rule.
  const uncertainty =
    options.sensitivity === false
      ? null
      : analyseUncertainty(
          analyticDecisionModel({ input: { ...input, assumptions }, policies, scales: options.users }),
          {
            draws: options.draws ?? REVIEW_DEFAULTS.draws,
            seed: options.seed ?? REVIEW_DEFAULTS.seed,
            kneeMethod: options.knees ?? REVIEW_DEFAULTS.knees,
            whatIfAxes: WHAT_IF_AXES,
          },
        );
  const desPredictions = desForConnectionChart(input, policies, options.users);
  const byName: Record<string, Policy> = Object.fromEntries(policies.map((p) => [p.name, p]));
  for (const c of claims) byName[c.policy] ??= loadPolicy(c.policy, 'fixtures/targets/readiness.yaml');
  const claimEvaluations = evaluateClaims(claims, {
    profile,
    policies: byName,
    pricing,
    modelFor: (p) => modelFor(input, p),
    dataSizePoints: points,
  });

  const extraAssumptions: Assumption[] = [
    {
      what: 'prices (Supabase plans and compute, Railway, Redis)',
      value: 'fixtures/pricing/*.yaml',
      source: pricing.supabase.plans.map((p) => p.source).join('; '),
    },
  ];
  const at = now();
  const review = buildReview({
    generatedAt: at.toISOString(),
    commit: gitInfo(ROOT).commit,
    profile,
    scales: options.users,
    policies,
    simulation,
    desPredictions,
    runs,
    claims: claimEvaluations.map(claimRow),
    seedCosts: seedCostEstimates(claims),
    assumptions: extraAssumptions,
    live,
    kneeStep: measuredLive?.kneeStep ?? null,
    load: loadSentence(assumptions, policies[0]!.tierLimits.monthlyMessages, options.users),
    modelAssumptions: ASSUMPTION_NAMES.map((n) => {
      const a = assumptions[n];
      return {
        name: n,
        label: a.label,
        value: a.value,
        unit: a.unit,
        source: a.source,
        ...a.range,
        setBy: a.setBy ?? null,
      };
    }),
    stress,
    uncertainty,
  });
  const rendered = await renderReview(review);
  const written = writeReview(join(resolve(options.out), compactTime(at)), rendered);
  return { ...written, review };
}

/**
 * DES predictions with pool series for the connection-usage chart: the middle scale under `current`
 * and the policy after it, 40 simulated seconds each (a few hundred thousand events: well under 1 s).
 */
function desForConnectionChart(input: SimulateInput, policies: Policy[], users: number[]): Prediction[] {
  const scale = [...users].sort((a, b) => a - b)[Math.floor(users.length / 2)]!;
  return policies.slice(0, 2).map((policy) => {
    // The load assumptions applied, as the verdicts read them.
    const { profile, policy: applied, ctx } = modelFor(input, policy);
    return predictDes(profile, applied, scale, ctx, {
      seed: input.profile.seed,
      durationSeconds: 40,
      warmupSeconds: 5,
    });
  });
}
