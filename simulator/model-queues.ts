import type { Policy } from '../core/policy.ts';
import type { ModelContext } from './analytic.ts';
import type { Calibration, ServiceDemand } from './calibration.ts';
import type { CpuQueues } from './cpu.ts';
import { cpuQueues, cpuSaturation, loopPassWaits, statementCpuWaitMs } from './cpu.ts';
import { calibrationAtBusyConnections, congestionFactor } from './db-congestion.ts';
import { logNormalFromMedianP95, logNormalMean, logNormalVariance } from './distributions.ts';
import { loopShareOf } from './loop-thread-share.ts';
import type { ResourceName, ResourcePrediction } from './prediction.ts';
import type { Queue } from './queueing.ts';
import { queue, waitQuantile } from './queueing.ts';
import { chainCpuWait, chainsInFlight } from './rig-chains.ts';
import { rigDatabaseCores } from './rig-db-cpu.ts';
import type { Workload } from './workload.ts';
import { ENDPOINTS, QUERIES_PER_MESSAGE, SYNC_ENDPOINTS } from './workload.ts';

// The analytical model's queues: each resource is an M/G/c queue fed by the open-model workload.
//   db.cpu            servers = database cores; one arrival per statement, service = its CPU time
//                     (processor sharing, cpu.ts); on the rig `host.cpu` instead: the host's cores
//                     shared by the target, the database, k6 and other processes, and `db.cpu` beside
//                     it when the database server was limited to fewer cores (rig-db-cpu.ts)
//   app.cpu           servers = backend vCPUs (when given and CPU-calibrated); one arrival per request
//   db.pool           servers = policy.database.poolSize; one checkout per statement (PostgREST holds a
//                     connection per request), hold = connection overhead + CPU wait + statement time
//   upstream.sockets  servers = policy.upstream.maxSockets; one per admitted /api/message, hold = the
//                     language-model latency (log-normal from the policy's median and p95)

/** The queues of one prediction, kept for the DES and for composing latencies. */
export interface ModelQueues {
  /**
   * The calibration the queues were built on: the context's, or on the rig with the database's CPU per
   * statement at the solved busy connections (db-congestion.ts). Latencies read this one.
   */
  calibration: Calibration;
  /** Rig with a congestion cost: the busy connections it was solved at and the factor on the CPU there. */
  congestion?: { busyConnections: number; databaseCores: number; factor: number };
  /** The CPU queue on the statements' path: the database's cores, or the rig's shared host. */
  cpu: Queue;
  /** All CPU resources (database or host, and the app tier) and how a request waits for them. */
  cpus: CpuQueues;
  pool: Queue;
  upstream: Queue;
  /** Statement arrivals per second by kind (sync REST endpoints and api.message). */
  statementRates: Record<string, number>;
  /** Requests per second reaching the app tier (the load a fading base latency is read at). */
  requestsPerSecond: number;
  upstreamLatency: { median: number; p95: number; meanMs: number; scv: number };
}

/** Service demand of a statement kind, falling back to the calibration's default. */
export function demandOf(calibration: Calibration, kind: string): ServiceDemand {
  return calibration.demands[kind] ?? calibration.demands.default;
}

/** Overhead outside the database of one request of an endpoint. */
export function overheadOf(calibration: Calibration, endpoint: string): number {
  return calibration.requestOverheadMs[endpoint] ?? calibration.requestOverheadMs.default;
}

/**
 * Share of a kind's requests that take a pool connection: on the rig the calibrated statement share
 * (an empty push batch runs no statement on the reference backend), else 1 (PostgREST runs one).
 */
export function connectionShareOf(
  cal: Calibration,
  ctx: Pick<ModelContext, 'placement'>,
  kind: string,
): number {
  if (ctx.placement?.kind !== 'rig') return 1;
  const s = cal.statementShare?.[kind]?.share;
  return s !== undefined && s > 0 && s < 1 ? s : 1;
}

/** Mean and scv of a mixture of service times weighted by rate. */
function mixture(parts: Array<{ rate: number; mean: number; scv: number }>): {
  rate: number;
  mean: number;
  scv: number;
} {
  const rate = parts.reduce((s, p) => s + p.rate, 0);
  if (rate <= 0) return { rate: 0, mean: parts[0]?.mean ?? 0, scv: parts[0]?.scv ?? 1 };
  const mean = parts.reduce((s, p) => s + p.rate * p.mean, 0) / rate;
  const second = parts.reduce((s, p) => s + p.rate * (1 + p.scv) * p.mean * p.mean, 0) / rate;
  return { rate, mean, scv: mean > 0 ? second / (mean * mean) - 1 : 1 };
}

/** Builds the three queues for a workload. */
export function buildQueues(
  policy: Policy,
  workload: Workload,
  ctx: ModelContext,
  admittedMessagesPerSecond: number,
): ModelQueues {
  const cal = ctx.calibration;
  // On the rig the database's CPU per statement grows with its busy connections (db-congestion.ts),
  // which the pool's hold (CPU wait and statement) sets in turn: solved together from none busy, the
  // iteration rising to the lowest fixed point (bounded by the pool's size).
  const congestion = cal.cpu?.dbCongestion;
  if (ctx.placement?.kind !== 'rig' || congestion === undefined)
    return queuesAt(policy, workload, ctx, admittedMessagesPerSecond, cal);
  const poolSize = policy.database.poolSize;
  const databaseCores = rigDatabaseCores(ctx.placement.cores, ctx.placement.dbCores);
  const at = (b: number): ModelQueues =>
    queuesAt(
      policy,
      workload,
      ctx,
      admittedMessagesPerSecond,
      calibrationAtBusyConnections(cal, b, databaseCores),
    );
  // The collapsed state: every connection busy, the database's CPU per statement at that congestion.
  if (ctx.poolState === 'collapsed') {
    const factor = congestionFactor(congestion.perBusyConnection, poolSize, databaseCores);
    return { ...at(poolSize), congestion: { busyConnections: poolSize, databaseCores, factor } };
  }
  // A saturated CPU holds every connection without bound (its waits are not in the hold: the queue
  // reports saturation instead), so the pool is then all busy. The sequence only rises (monotone).
  const nextOf = (b: number, queues: ModelQueues): number =>
    cpuSaturation(queues.cpus).saturated
      ? poolSize
      : Math.max(b, Math.min(poolSize, queues.pool.offeredLoad));
  let busy = 0;
  let q = at(0);
  let lastStep: number | null = null;
  for (let i = 0; i < MAX_CONGESTION_ITERATIONS; i++) {
    const next = nextOf(busy, q);
    const step = next - busy;
    if (step <= CONGESTION_TOLERANCE) break;
    // Near the knee the steps shrink slowly (by a ratio r near 1) and each costs a rebuild: a run of
    // shrinking steps is taken to its geometric limit (Aitken), busy + step/(1 − r), kept only where the
    // CPU is not saturated there (else the plain step).
    const r = lastStep !== null ? step / lastStep : 1;
    const guess = r < 0.95 ? Math.min(poolSize, busy + step / (1 - r)) : next;
    lastStep = step;
    const jumped = guess > next ? at(guess) : null;
    if (jumped && !cpuSaturation(jumped.cpus).saturated) {
      busy = guess;
      q = jumped;
      lastStep = null;
    } else {
      busy = next;
      q = at(next);
    }
  }
  const factor = congestionFactor(congestion.perBusyConnection, busy, databaseCores);
  return { ...q, congestion: { busyConnections: busy, databaseCores, factor } };
}

/** Iterations of the congestion fixed point at most (each rebuilds the queues). */
const MAX_CONGESTION_ITERATIONS = 30;
/** Busy connections within which the congestion fixed point has converged. */
const CONGESTION_TOLERANCE = 0.01;

/** The queues of a workload on one calibration (the database's CPU per statement fixed). */
function queuesAt(
  policy: Policy,
  workload: Workload,
  ctx: ModelContext,
  admittedMessagesPerSecond: number,
  cal: Calibration,
): ModelQueues {
  const statementRates: Record<string, number> = {};
  for (const kind of SYNC_ENDPOINTS) statementRates[kind] = workload.requestsPerSecondByEndpoint[kind] ?? 0;
  // Every /api/message runs its statements, even when the upstream call is then refused a socket;
  // rate-limited requests stop before the database.
  statementRates[ENDPOINTS.message] = admittedMessagesPerSecond * QUERIES_PER_MESSAGE;
  const kinds = Object.keys(statementRates);
  const requestRates = { ...workload.requestsPerSecondByEndpoint };
  const cpus = cpuQueues(
    cal,
    ctx.placement ?? { kind: 'deployment' },
    requestRates,
    statementRates,
    ctx.cores,
    ctx.appCores ?? null,
    Object.values(workload.syncsPerSecondByClass),
    workload.requestsPerSecond,
    ctx.populationState !== true,
  );
  const cpu = cpus.cpu;
  // A kind whose requests take a connection only sometimes (connectionShareOf) checks out that share of
  // them, each holding the statement its demand (per request) comes from: demand / share.
  const holdMix = mixture(
    kinds.map((k) => {
      const share = connectionShareOf(cal, ctx, k);
      return {
        rate: statementRates[k]! * share,
        mean: cal.connectionOverheadMs + (statementCpuWaitMs(cpus, cal, k) + demandOf(cal, k).meanMs) / share,
        scv: demandOf(cal, k).scv,
      };
    }),
  );
  const pool = queue(policy.database.poolSize, holdMix.rate, holdMix.mean, holdMix.scv);
  const up = policy.upstream.latencyMs;
  const ln = logNormalFromMedianP95(up.median, up.p95);
  const upMean = logNormalMean(ln);
  const upScv = logNormalVariance(ln) / (upMean * upMean);
  const upstream = queue(policy.upstream.maxSockets, admittedMessagesPerSecond, upMean, upScv);
  return {
    calibration: cal,
    cpu,
    cpus,
    pool,
    upstream,
    statementRates,
    requestsPerSecond: workload.requestsPerSecond,
    upstreamLatency: { median: up.median, p95: up.p95, meanMs: upMean, scv: upScv },
  };
}

export function resource(name: ResourceName, q: Queue, source: string): ResourcePrediction {
  return {
    name,
    servers: q.servers,
    arrivalRate: q.arrivalRate,
    serviceTimeMs: q.serviceTimeMs,
    offeredLoad: q.offeredLoad,
    utilisation: q.utilisation,
    probabilityOfWaiting: q.probabilityOfWaiting,
    meanWaitMs: q.meanWaitMs,
    p95WaitMs: waitQuantile(q, 0.95),
    saturated: q.saturated,
    capacityPerSecond: q.capacityPerSecond,
    serviceTimeSource: source,
  };
}

/** The CPU resources of a prediction: the database's (or the rig host's) cores, and the app tier's. */
export function cpuResources(cpus: CpuQueues, cal: Calibration): ResourcePrediction[] {
  const share = `${cal.cpuShareOfDbTime.toPrecision(3)} × statement time (${cal.cpuShareSource ?? 'assumption'})`;
  const out: ResourcePrediction[] = [];
  if (cpus.cpuName === 'host.cpu') {
    const parts = Object.entries(cpus.loadParts)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
    const chains = cpus.chains;
    if (chains) {
      // The wait of the mean request's CPU under the chains, in place of the M/M/c figures.
      const inFlight = chainsInFlight(chains);
      // Built only below saturation (cpuQueues): the queue's figures are replaced, never its saturation.
      const w = chainCpuWait(chains, cpus.cpu.serviceTimeMs);
      const r = resource(
        'host.cpu',
        cpus.cpu,
        `rig: one host's cores shared by everything (processor sharing) under syncs as chains (${inFlight.toFixed(2)} in flight, ${(chains.syncSeconds * 1000).toFixed(1)} ms each, ${chains.backgroundCores.toFixed(2)} cores outside them; ${cal.cpu?.chains?.source ?? ''}); load in cores: ${parts}; statement CPU = ${share}`,
      );
      out.push({
        ...r,
        probabilityOfWaiting: w?.probability ?? 0,
        meanWaitMs: w ? w.probability * w.meanMs : 0,
        p95WaitMs: w && w.probability > 0.05 ? w.meanMs * Math.log(w.probability / 0.05) : 0,
        chains: { inFlight, syncMs: chains.syncSeconds * 1000 },
      });
    } else
      out.push(
        resource(
          'host.cpu',
          cpus.cpu,
          `rig: one host's cores shared by everything (processor sharing); load in cores: ${parts}; statement CPU = ${share}`,
        ),
      );
  } else out.push(resource('db.cpu', cpus.cpu, `statement CPU = ${share}`));
  if (cpus.db)
    out.push(
      resource(
        'db.cpu',
        cpus.db,
        `rig: the database server limited to ${cpus.db.servers} of the host's ${cpus.cpu.servers} cores (--db-cores; processor sharing of its statements' CPU and its fixed part, ${(cpus.loadParts.database ?? 0).toFixed(2)} cores; a statement waits for the larger stretch of this and host.cpu, rig-db-cpu.ts); statement CPU = ${share}`,
      ),
    );
  if (cpus.app)
    out.push(
      resource(
        'app.cpu',
        cpus.app,
        `backend vCPUs; CPU per request ${cal.cpu?.app.source ?? ''} (processor sharing)`,
      ),
    );
  if (cpus.loop)
    out.push({
      ...resource(
        'app.loop',
        cpus.loop,
        "rig: the target's event loop (one thread, two passes per request (one for an empty push), each an equal share of its thread's part of the target CPU × the host's stretch, and that part of the target's fixed CPU; event-loop.ts, loop-thread-share.ts)",
      ),
      threadCpuCores: cpus.loadParts.target ?? 0,
      loopCpuCores: (cpus.loadParts.target ?? 0) * (cal.cpu ? loopShareOf(cal.cpu) : 1),
      loopPassWaits: loopPassWaits(cpus.loop),
    });
  return out;
}
