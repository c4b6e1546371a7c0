import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { DesPattern } from './des/patterns.ts';
import type { Workload } from './workload.ts';

// Shapes of the simulator's inputs and outputs. Every number that can be unbounded (a wait at or past
// saturation) is `null` with `saturated: true`, so predictions survive JSON.stringify unchanged.

/** How predictions are computed: closed-form queueing, or the discrete-event simulation. */
export type SimulationMode = 'analytic' | 'des';

/** Names of the modelled resources. */
export type ResourceName = 'db.pool' | 'upstream.sockets' | 'db.cpu' | 'app.cpu' | 'host.cpu';

/** One resource as an M/M/c queue: offered load, utilisation, waits and saturation. */
export interface ResourcePrediction {
  name: ResourceName;
  /** Servers: pool connections, upstream sockets, database cores, backend vCPUs or the rig's cores. */
  servers: number;
  /** Arrivals per second that need one server each. */
  arrivalRate: number;
  /** Mean time one arrival holds a server, ms. */
  serviceTimeMs: number;
  /** Offered load in Erlangs, λ·S (Little's law: mean busy servers if unbounded). */
  offeredLoad: number;
  /** offeredLoad / servers; 1 or more is saturated. */
  utilisation: number;
  /** Erlang C: probability that an arrival waits (1 when saturated). */
  probabilityOfWaiting: number;
  /** Mean wait for a server, ms; null when saturated (unbounded). */
  meanWaitMs: number | null;
  /** 95th percentile wait for a server, ms; null when saturated. */
  p95WaitMs: number | null;
  /** True when utilisation >= 1: the queue grows without bound. */
  saturated: boolean;
  /** Most arrivals per second the resource can serve (servers / S). */
  capacityPerSecond: number;
  /** Where the service time came from (calibrated run, or a named default). */
  serviceTimeSource: string;
  /** The rig's host as chains (rig-chains.ts): syncs in flight and one sync's duration (ms); else absent. */
  chains?: { inFlight: number; syncMs: number };
}

/** Latency and outcomes of one endpoint. */
export interface EndpointPrediction {
  endpoint: string;
  /** Requests per second offered. */
  ratePerSecond: number;
  /** End-to-end latency in ms (service + waits); null when a resource on its path is saturated. */
  p50Ms: number | null;
  p95Ms: number | null;
  meanMs: number | null;
  /** Share of requests answered with an error (any cause, 429 included). */
  errorShare: number;
  /** Share rejected by the per-user rate limit (429). */
  rateLimitedShare: number;
  /** Share failing because a wait or statement exceeded a timeout (acquire, statement, socket). */
  timeoutShare: number;
}

/** Rate-limit outcome of one tier for /api/message. */
export interface RateLimitPrediction {
  tier: string;
  /** Per-user limit in requests per window; null when there is no per-user limit. */
  limitPerWindow: number | null;
  windowSeconds: number | null;
  /** Requests per second offered by legitimate and abusive users of this tier. */
  legitimateRate: number;
  abusiveRate: number;
  /** Share of legitimate and of abusive requests rejected with 429. */
  legitimateRejectedShare: number;
  abusiveRejectedShare: number;
  /** Upstream calls per second that get through (what the upstream pool must carry). */
  admittedRate: number;
}

/** One line of a monthly cost. */
export interface CostItem {
  item: string;
  usd: number;
  /** Vendor page and date read, or 'assumption: <why>'. */
  source: string;
}

/** A deployable configuration and its monthly cost. */
export interface CostPrediction {
  /** Supabase plan and compute size, e.g. `pro` / `xl`. */
  plan: string;
  compute: string;
  cores: number;
  maxConnections: number;
  /** Pool size used for the database connections. */
  poolSize: number;
  /** Upstream (language-model) sockets of the backend's HTTP agent. */
  upstreamSockets: number;
  /** Backend host instances and their size. */
  backend: string;
  redis: string | null;
  monthlyUsd: number;
  items: CostItem[];
  /** True when this configuration meets the targets at this N. */
  meetsTargets: boolean;
  /** Why not, when it does not (the first binding constraint). */
  reason: string;
}

/** What a verdict at one N rests on. */
export interface VerdictInputs {
  /** Every endpoint's p95 within its budget. */
  meetsLatency: boolean;
  /** Error share (all endpoints, 429 for legitimate users excluded of abusive ones) within budget. */
  meetsErrors: boolean;
  /** The resource with the highest utilisation. */
  bottleneck: ResourceName;
  bottleneckUtilisation: number;
  /** Users at which the bottleneck saturates, linear in N (utilisation scales with users). */
  saturationUsers: number;
  /** Worst p95 over endpoints divided by its budget (> 1 fails). */
  latencyBudgetRatio: number | null;
  errorShare: number;
}

/** Where a prediction stands relative to the measured range of its calibration. */
export interface Extrapolation {
  /** True when the predicted load is more than twice the highest measured load (or below half the lowest). */
  beyond2x: boolean;
  /** Highest calibrated load, in queries per second; null when uncalibrated. */
  measuredMaxQueriesPerSecond: number | null;
  /** Predicted load divided by the highest measured load. */
  ratio: number | null;
  note: string;
}

/** The prediction for one number of users under one policy. */
export interface Prediction {
  users: number;
  profile: string;
  policy: string;
  mode: SimulationMode;
  workload: Workload;
  resources: ResourcePrediction[];
  endpoints: EndpointPrediction[];
  rateLimits: RateLimitPrediction[];
  /** Request-weighted shares over all endpoints. */
  errorShare: number;
  rateLimitedShare: number;
  timeoutShare: number;
  /** Share of database statements longer than the statement timeout (0 when there is none). */
  overStatementTimeoutShare: number;
  /** Cost of the policy's own configuration, and of the cheapest one meeting the targets. */
  cost: CostPrediction | null;
  cheapest: CostPrediction | null;
  verdict: VerdictInputs;
  calibrated: boolean;
  extrapolation: Extrapolation;
  /** DES only: pool usage over simulated time. */
  series?: PoolSeries;
  /** Assumptions this prediction rests on (uncalibrated defaults with their sources). */
  assumptions: string[];
}

/** Pool usage sampled over simulated time (DES). */
export interface PoolSeries {
  /** Sample spacing in simulated seconds. */
  stepSeconds: number;
  t: number[];
  /** Busy servers and queue length per resource at each sample. */
  busy: Record<string, number[]>;
  queued: Record<string, number[]>;
}

/** Latency and error budgets a configuration must meet. */
export interface Targets {
  /** p95 budget per endpoint in ms; `default` applies to endpoints not named. */
  p95Ms: Record<string, number> & { default: number };
  /** Largest acceptable error share (legitimate requests; abusive 429s do not count). */
  errorShare: number;
  /** Highest acceptable utilisation of any resource in steady state (headroom for spikes). */
  maxUtilisation: number;
  /** Where the budgets come from. */
  source: string;
}

/** Service demand of one request or query kind. */
export interface ServiceDemand {
  /** Mean database time per statement, ms. */
  meanMs: number;
  /** Squared coefficient of variation of the service time (1 = exponential). */
  scv: number;
  source: string;
}

/** A CPU figure fitted over runs: y = fixed + perUnit × x, least squares, fixed >= 0. */
export interface CpuFit {
  /** CPU per unit of x (ms of CPU per request, or CPU-ms per ms of statement time). */
  perUnit: number;
  /** CPU used regardless of load, cores. */
  fixedCores: number;
  /** Coefficient of determination over the runs (null with fewer than 3 runs). */
  r2: number | null;
  source: string;
}

/**
 * CPU demands measured from run records (`cpu` of core/run-record.ts): where the work runs. The app
 * tier (the target) per request, by endpoint; the database per ms of statement time (its CPU share);
 * the load generator (k6) per request; and what else ran on the measuring host.
 */
export interface CpuCalibration {
  /** The target's CPU per request, ms, by endpoint (`default` for others). */
  appMsPerRequest: Record<string, number> & { default: number };
  /** The fit behind it: the target's cores against requests per second. */
  app: CpuFit;
  /** The database server's cores against statement time per second (perUnit = CPU share of statement time). */
  database: CpuFit;
  /** k6's cores against requests per second (ms per request). */
  loadGenerator: CpuFit;
  /** Host CPU in use by anything else (other processes, the runner), cores, mean over the runs. */
  otherCores: number;
  /** Cores of the host the runs measured on (the rig). */
  rigCores: number;
  /** Per endpoint: how the app CPU was split (the assumption). */
  appSplit: string;
  /**
   * The rig's syncs as chains of requests (rig-chains.ts): k6's time per request outside the measured
   * request (its script between requests), ms, from the runs' iteration durations. Absent: the rig's
   * CPU wait is that of independent Poisson requests (processor sharing, M/M/c).
   */
  chains?: { gapMsPerRequest: number; source: string };
}

/** Where the modelled CPU work runs. */
export type CpuPlacement =
  /** A deployment: the database's cores (and the backend's vCPUs when given), no load generator. */
  | { kind: 'deployment' }
  /** The measuring rig: target, database, k6 and everything else share `cores` (processor sharing). */
  | { kind: 'rig'; cores: number; otherCores?: number };

/** Universal Scalability Law fit: X(N) = λN / (1 + σ(N−1) + κN(N−1)). */
export interface UslFit {
  lambda: number;
  sigma: number;
  kappa: number;
  /** Coefficient of determination of the fit. */
  r2: number;
  /** Measured minus fitted throughput per point. */
  residuals: number[];
  /** Concurrency at which throughput peaks: sqrt((1−σ)/κ); null when κ is 0. */
  peakConcurrency: number | null;
  /** Throughput at the peak. */
  peakThroughput: number | null;
  points: Array<{ n: number; x: number }>;
}

/** The measured latency of one request of an endpoint with no queue wait (simulator/base-latency.ts). */
export interface BaseLatency {
  /** Median, ms; with `fade`, the floor the median falls to as load grows. */
  medianMs: number;
  /** 95th percentile, ms; with `fade`, its floor. */
  p95Ms: number;
  /**
   * Latency that fades as the measuring host gets busier, in ms × requests/s: at r requests/s reaching
   * the target the median is medianMs + fade.medianMs / r (p95 likewise), r held at no less than the
   * lowest measured load. Absent: the same at every load.
   */
  fade?: { medianMs: number; p95Ms: number; minRequestsPerSecond: number; maxRequestsPerSecond: number };
  source: string;
}

/** Service demands and scalability fitted from run records (or defaults with named sources). */
export interface Calibration {
  /** Database time per statement by endpoint / query kind; `default` when a kind is not measured. */
  demands: Record<string, ServiceDemand> & { default: ServiceDemand };
  /** Extra time a statement holds a pool connection beyond its database time (driver, network), ms. */
  connectionOverheadMs: number;
  /** Time a request spends outside the database (HTTP, auth, JSON, network), ms, by endpoint. */
  requestOverheadMs: Record<string, number> & { default: number };
  /**
   * Latency of one request of an endpoint when nothing waits for a connection or a core (client side:
   * HTTP, JSON, the statement and its round trip), log-normal from the median and p95 measured in
   * uncontended runs; queue waits are added to it (read it with baseLatencyAt). Absent: overhead +
   * statement demand stand in.
   */
  baseLatency?: Record<string, BaseLatency>;
  /** Share of database time that is CPU (the rest waits on I/O and does not occupy a core). */
  cpuShareOfDbTime: number;
  /** Where it comes from (an assumption, or the runs' database CPU against their statement time). */
  cpuShareSource?: string;
  /** CPU per request of the app tier, the database and the load generator, measured from run records' `cpu`. */
  cpu?: CpuCalibration;
  /** Measured queries per sync by sync mode, when runs had syncs. */
  queriesPerSync: Partial<Record<'full' | 'delta', number>>;
  /** USL fit of throughput (queries/s) against concurrency (busy connections); null when too few points. */
  usl: UslFit | null;
  /** Measured range of load the calibration covers, in database queries per second. */
  measuredRange: { minQueriesPerSecond: number; maxQueriesPerSecond: number } | null;
  /** Run ids used. */
  runs: string[];
  /** False when every demand is a default. */
  calibrated: boolean;
  notes: string[];
}

/** Supabase compute size (fixtures/pricing). */
export interface ComputeSize {
  name: string;
  cores: number;
  ramGb: number;
  maxDirectConnections: number;
  maxPoolerClients: number;
  usdPerMonth: number;
  source: string;
}

/** The pricing inputs (fixtures/pricing/*.yaml merged). */
export interface Pricing {
  supabase: {
    plans: Array<{ name: string; usdPerMonth: number; computeCreditUsd: number; source: string }>;
    compute: ComputeSize[];
    egress: { includedGb: number; usdPerGb: number; source: string };
    disk: { includedGb: number; usdPerGb: number; source: string };
  };
  backend: {
    name: string;
    /** Usage pricing per vCPU and per GB RAM per month, and the plan fee. */
    usdPerVcpuMonth: number;
    usdPerGbRamMonth: number;
    planUsdPerMonth: number;
    /** Requests per second one vCPU serves (assumption until measured). */
    requestsPerVcpu: number;
    ramGbPerInstance: number;
    source: string;
  };
  redis: Array<{
    name: string;
    usdPerMonth: number;
    opsPerSecond: number;
    usdPer100kCommands?: number;
    source: string;
  }>;
}

/** Abusive senders added to /api/message (legitimate users are the profile's). */
export interface AbuseAssumption {
  /** Share of online users who are abusive (0 = none added to the load; outcomes still reported). */
  share: number;
  /** Their /api/message sends per minute. */
  messagesPerMinute: number;
}

/** Inputs of {@link simulate}. */
export interface SimulateInput {
  profile: Profile;
  policies: Policy[];
  users: number[];
  mode?: SimulationMode;
  calibration?: Calibration;
  targets?: Targets;
  pricing?: Pricing;
  /** Seed of the DES PRNG. */
  seed?: number;
  /** Abusive users for the rate-limit outcome: share of online users and their sends per minute. */
  abuse?: AbuseAssumption;
  /** Database cores when no pricing names the policy's plan (default 2: Supabase Micro). */
  databaseCores?: number;
  /** Backend vCPUs: with a CPU calibration, the app tier becomes a queue (`app.cpu`); absent, it is not modelled. */
  appCores?: number;
  /**
   * Predict the measuring rig instead of a deployment: target, database, k6 and the host's other load
   * share `cores` (one `host.cpu` resource; needs a CPU calibration). `otherCores`: the other load on
   * the host, cores (default: the calibration's, measured in its runs). Default: a deployment.
   */
  rig?: { cores: number; otherCores?: number };
  /** DES: arrival pattern, simulated seconds per point (default 120), warm-up discarded (default 20), sample spacing (default 1 s). */
  des?: {
    pattern?: DesPattern;
    durationSeconds?: number;
    warmupSeconds?: number;
    sampleEverySeconds?: number;
  };
}

/** The knee: the largest N meeting the latency and error budgets under one policy. */
export interface Knee {
  policy: string;
  /** Largest users meeting the budgets; null when even the smallest tried fails. */
  users: number | null;
  /** What breaks just past the knee. */
  limitedBy: string;
  /** True when the knee is above the largest N searched (no limit found). */
  unbounded: boolean;
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

/** Signature of the simulator's entry point (implemented in simulate.ts). */
export type SimulateFn = (input: SimulateInput) => SimulationResult;
