import type { CostPrediction } from './cost.ts';
import type { PathWait } from './queueing.ts';
import type { RateLimitPrediction } from './rate-limit.ts';
import type { Workload } from './workload.ts';

// Shapes of the simulator's predictions. Every number that can be unbounded (a wait at or past
// saturation) is `null` with `saturated: true`, so predictions survive JSON.stringify unchanged.

/** How predictions are computed: closed-form queueing, or the discrete-event simulation. */
export type SimulationMode = 'analytic' | 'des';

/** Names of the modelled resources. */
export type ResourceName =
  | 'db.pool'
  | 'upstream.sockets'
  | 'db.cpu'
  | 'app.cpu'
  | 'host.cpu'
  | 'app.loop'
  /** The database's disk: page reads a second against the compute size's IOPS (disk-resource.ts). */
  | 'db.disk'
  /** The language-model provider's request and token limits per minute (llm.ts). */
  | 'llm.requests'
  | 'llm.tokens';

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
  /** A provider's limit per minute modelled as one server (llm.ts): the limit and what it counts; else absent. */
  limitPerMinute?: { limit: number; what: string };
  /** The rig's host as chains (rig-chains.ts): syncs in flight and one sync's duration (ms); else absent. */
  chains?: { inFlight: number; syncMs: number };
  /**
   * The rig's event loop: the CPU its thread uses (cores, the target's CPU, not stretched by waits for
   * a core), which is what a run measures of it (the target process's CPU); else absent.
   */
  threadCpuCores?: number;
  /** The rig's event loop: its thread's own share of that CPU (loop-thread-share.ts), cores; else absent. */
  loopCpuCores?: number;
  /**
   * The rig's event loop: one pass's waits as the latency model draws them (cpu.ts loopPassWaits: its
   * queueing wait and, kept apart, its stall while the thread is preempted); else absent.
   */
  loopPassWaits?: PathWait[];
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
  /**
   * api.message only: its mean time outside the socket wait and the upstream call, ms (overhead,
   * statements, app-tier CPU waits); absent when a resource on that part is saturated.
   */
  outsideUpstreamMeanMs?: number;
}

/** No configuration meets the targets: what fails on the largest size tried. */
export interface NoConfiguration {
  compute: string;
  poolSize: number;
  upstreamSockets: number;
  bindingResource: ResourceName | null;
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
  /** The decision rule's outcome (decision-rule.ts judge): accepted, and the resource that binds. */
  accepted: boolean;
  bindingResource: ResourceName | null;
  /** Why the rule rejects it (empty when accepted). */
  failures: string[];
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
  /** The cheapest configuration the decision rule accepts; null when none does (see noConfiguration). */
  cheapest: CostPrediction | null;
  /** When no configuration meets the targets: the largest size tried and the resource that fails on it. */
  noConfiguration?: NoConfiguration;
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
