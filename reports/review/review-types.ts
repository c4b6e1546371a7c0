import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import type { LoadedRun } from '../../core/run-record.ts';
import type {
  Prediction,
  SeedCostEstimate,
  SimulationResult,
  Targets,
  Uncertainty,
} from '../../simulator/index.ts';
import type { ChartSpec } from '../charts/chart-theme.ts';
import type { KneeCheck } from './knee-check.ts';

/** A quantitative claim of the seed documents and how it fares (from the simulator's claims evaluation). */
export interface ClaimRow {
  id: string;
  /** The claim in the document's words. */
  claim: string;
  /** Document and section it comes from. */
  source: string;
  /** The document's figure, as stated (kept as text: "~1,000 users", "$850/month"). */
  claimed: string;
  /** What the model computes under the claim's own assumptions, and how. */
  underOwnAssumptions: string;
  ownWorking: string;
  /** What the model computes for the chosen profile and policy, and how. */
  underProfile: string;
  profileWorking: string;
  verdict: 'holds' | 'arithmetic error' | 'assumption does not hold' | 'not modelled';
  reason: string;
}

/** An input the review rests on that was not measured here, with where it comes from. */
export interface Assumption {
  /** What is assumed, e.g. `language-model latency median`. */
  what: string;
  value: string;
  /** A seed line, a vendor page with the date read, or `assumption: <why>`. */
  source: string;
}

/** What the live calibration did, and what it skipped and why. */
export interface LiveStatus {
  /** `live`: a short calibration ran (or was attempted); `no-live`: simulator and existing runs only. */
  mode: 'live' | 'no-live';
  /** What ran, one line each (e.g. `delta-sync at 1000 users for 15 s: reports/runs/...`). */
  ran: string[];
  /** What was skipped, with the reason (e.g. `k6 not found: run npm run k6:install`). */
  skipped: { what: string; why: string }[];
}

/** Everything the review is a pure function of. */
export interface ReviewInput {
  /** ISO time the review was generated (passed in: builders read no clock). */
  generatedAt: string;
  /** Git commit of the harness, when known. */
  commit: string | null;
  /** The workload profile everything was predicted (and seeded) with. */
  profile: Profile;
  /** User counts reviewed (1k, 10k, 100k). */
  scales: number[];
  /** Policies reviewed, resolved. */
  policies: Policy[];
  /** Analytical predictions for every policy × scale (and the targets and calibration used). */
  simulation: SimulationResult;
  /** Discrete-event predictions carrying pool series, for the connection-usage chart (may be empty). */
  desPredictions: Prediction[];
  /** Run records found or made. */
  runs: LoadedRun[];
  claims: ClaimRow[];
  /** The seed documents' monthly costs (from their claims), set beside the predicted ones in the cost chart. */
  seedCosts: SeedCostEstimate[];
  /** Assumptions beyond those the profile, policies and simulation carry (e.g. pricing sources). */
  assumptions: Assumption[];
  live: LiveStatus;
  /** The live knee step and the model's prediction of it, made before it ran (absent: no step ran). */
  kneeStep?: { run: LoadedRun; prediction: Prediction } | null;
  /** The load in one sentence (simulator/load.ts loadSentence); the review opens with it. */
  load?: string;
  /** The model's assumptions table (value, unit, source, range) from simulator/assumptions.ts. */
  modelAssumptions?: ModelAssumption[];
  /** The stress case, never in the base verdicts: one labelled row per policy and scale. */
  stress?: StressRow[];
  /** Tornado, flip points, Monte Carlo and the what-if grid (simulator/uncertainty.ts); null when skipped. */
  uncertainty?: Uncertainty | null;
}

/** One row of the model's assumptions table. */
export interface ModelAssumption {
  name: string;
  label: string;
  value: number;
  unit: string;
  source: string;
  low: number;
  base: number;
  high: number;
  setBy: string | null;
}

/** A stress-case verdict: the base load plus abusive free users ("with X% of free users sending Y/min"). */
export interface StressRow {
  label: string;
  policy: string;
  users: number;
  verdict: 'GO' | 'NO-GO';
  reasons: string[];
  /** Share of abusive requests the per-user limit rejects (0 with no limit). */
  abusiveRejectedShare: number;
}

/** One modelled resource in a cell of the review. */
export interface ResourceCell {
  servers: number;
  offeredLoad: number;
  utilisation: number;
  meanWaitMs: number | null;
  p95WaitMs: number | null;
  saturated: boolean;
}

/** Predicted figures for one policy at one number of users. */
export interface PredictedCell {
  users: number;
  policy: string;
  syncsPerSecond: number;
  queriesPerSecond: number;
  requestsPerSecond: number;
  messagesPerSecond: number;
  queriesPerSync: number;
  dbPool: ResourceCell | null;
  upstream: ResourceCell | null;
  dbCpu: ResourceCell | null;
  /** p95 per endpoint in ms; null = unbounded (saturated). */
  p95ByEndpoint: Record<string, number | null>;
  errorShare: number;
  rateLimitedShare: number;
  timeoutShare: number;
  /** Monthly cost of the policy's own configuration, and of the cheapest one meeting the targets. */
  monthlyUsd: number | null;
  cheapestUsd: number | null;
  cheapestConfig: string | null;
  calibrated: boolean;
  extrapolation: string | null;
}

/** Measured figures of one run record. */
export interface MeasuredRun {
  id: string;
  dir: string;
  scenario: string;
  users: number;
  policy: string;
  startedAt: string;
  durationSeconds: number;
  syncsPerSecond: number | null;
  queriesPerSecond: number | null;
  queriesPerSync: number | null;
  syncMode: 'full' | 'delta' | null;
  requestsPerSecond: number;
  /** Pool from the target's /metrics: size, mean and max in use, max waiting. */
  pool: { size: number; meanInUse: number; maxInUse: number; maxWaiting: number } | null;
  p95ByEndpoint: Record<string, number>;
  /** Failed share of all requests, 429 included, and 429s alone. */
  errorRate: number;
  rateLimitedRate: number;
  /** Failed share excluding 429s (what counts against the error budget). */
  errorRateExcluding429: number;
  droppedIterations: number;
  loadGeneratorSaturated: boolean;
  /**
   * True for steady load at the run's scale (sync, launch-mix and rate-limit scenarios without injected
   * faults): only these can overrule a GO. Ramps, fault and isolation runs are shown, not judged.
   */
  steadyState: boolean;
  healthzOk: boolean | null;
  notes: string[];
}

/** GO or NO-GO for one policy at one number of users, with the reasons. */
export interface Decision {
  users: number;
  policy: string;
  decision: 'GO' | 'NO-GO';
  /** Why NO-GO (empty for GO). */
  reasons: string[];
  /** What the decision should be read with (extrapolation, uncalibrated defaults, measurement caveats). */
  caveats: string[];
  /** `predicted` alone, or also `measured` when a run at this scale and policy exists. */
  evidence: 'predicted' | 'predicted + measured';
}

/** Verdict of one readiness target at one scale. */
export interface TargetAtScale {
  users: number;
  /** Policy that carries the report's fix at this scale. */
  policy: string;
  verdict: 'holds' | 'falls short' | 'not verified';
  reason: string;
}

/** A readiness target of launch-readiness-report.md (its metrics table) and how it fares. */
export interface ReadinessVerdict {
  id: 'connection-pool' | 'rate-limit' | 'sync-frequency' | 'query-timeout' | 'health-checks';
  target: string;
  /** The report's row: current value, 10k target, 100k target. */
  reportSays: string;
  source: string;
  /** The value each reviewed policy configures. */
  byPolicy: { policy: string; value: string }[];
  perScale: TargetAtScale[];
  /** Worst verdict over scales. */
  verdict: 'holds' | 'falls short' | 'not verified';
}

/** The whole review: every number the report shows (data.json is this object). */
export interface Review {
  title: string;
  generatedAt: string;
  commit: string | null;
  profile: string;
  scales: number[];
  policies: string[];
  targets: Targets;
  /** One sentence per scale: which policies are GO. */
  headline: string[];
  /** The load in one sentence (null when the review had no load assumptions). */
  load: string | null;
  /** The model's assumptions table. */
  modelAssumptions: ModelAssumption[];
  /** Stress rows (abuse), separate from the base verdicts. */
  stress: StressRow[];
  /**
   * Sensitivity and uncertainty: per policy the tornado of the knee and the monthly cost, each
   * verdict's flip points, P10/P50/P90 of the knees and costs (Monte Carlo), the what-if grid; null
   * with --no-sensitivity.
   */
  uncertainty: Uncertainty | null;
  /** Whether the model is calibrated, from which runs, up to how many users, in one sentence. */
  calibrationSentence: string;
  /** The interactive what-if of report.html (vega-lite, sliders over the grid); null without uncertainty. */
  whatIf: ChartSpec | null;
  /** Per policy: the most users meeting every budget (the simulator's knee) and what breaks past it. */
  knees: { policy: string; users: number | null; unbounded: boolean; limitedBy: string }[];
  decisions: Decision[];
  predicted: PredictedCell[];
  measured: MeasuredRun[];
  readiness: ReadinessVerdict[];
  claims: ClaimRow[];
  assumptions: Assumption[];
  calibration: { calibrated: boolean; runs: string[]; notes: string[] };
  live: LiveStatus;
  /** "Checked against this machine today": the knee step beside its prediction; null when none ran. */
  kneeCheck: KneeCheck | null;
  charts: ChartSpec[];
}
