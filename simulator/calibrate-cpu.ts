import { linearRegression, mean, median, rSquared } from 'simple-statistics';
import type { RunRecord } from '../core/run-record.ts';
import { type CpuWait, processorSharingWait } from './cpu.ts';
import { fitAmortisedCpu } from './cpu-at-load.ts';
import type { DbCongestion } from './db-congestion.ts';
import { logNormalFromMedianP95, logNormalMean, logNormalVariance } from './distributions.ts';
import { type IdleWake, toFitIdleShare } from './idle-vcpu-wake.ts';
import type { LoopThreadShare } from './loop-thread-share.ts';
import { durationScale, loadAdjustedProbeUs, speedRatioAgainst } from './machine-speed.ts';
import { latency, latencyQuantile, queue } from './queueing.ts';
import { type ChainLoad, rigChainProcesses, withRunnableStretch } from './rig-chains.ts';
import { limitsDatabase } from './rig-db-cpu.ts';
import { runLevelKey } from './run-level.ts';
import { syncDurationCv } from './sync-duration-cv.ts';
import type { ThreadWake } from './thread-wake.ts';

import { ENDPOINTS, SYNC_ENDPOINTS } from './workload.ts';

// CPU demands from the run records' `cpu` (core/run-record.ts): how much CPU the app tier (the target),
// the database server and the load generator (k6) use per request, fitted over runs at several loads,
// and what else the measuring host was running. Pure.

/** A CPU figure fitted over runs: y = fixed + perUnit × x, least squares, fixed >= 0. */
export interface CpuFit {
  /** CPU per unit of x (ms of CPU per request, or CPU-ms per ms of statement time). */
  perUnit: number;
  /** CPU used regardless of load, cores. */
  fixedCores: number;
  /** Coefficient of determination over the runs (null with fewer than 3 runs). */
  r2: number | null;
  source: string;
  /**
   * The rig's processes whose CPU per request falls as they get busier (wake-ups amortised,
   * cpu-at-load.ts): cores = fixedCores + λ(msPerRequest + wakeMsPerRequest·(1 − cores))/1000. The rig's
   * predictions read the process at their load through it; absent: the line above at every load.
   */
  amortised?: { fixedCores: number; msPerRequest: number; wakeMsPerRequest: number; source: string };
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
  /** Host CPU in use by anything else (other processes, the runner), cores, mean over the runs; stolen time apart. */
  otherCores: number;
  /**
   * Cores the hypervisor stole from the host (another guest's load), median over the runs: the machine's
   * usual; a run predicted as it was run uses its own (validate.ts runContext). Absent: counted in otherCores.
   */
  stolenCores?: number;
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
  /**
   * The rig's processes' CPU spent waking work onto an idle vCPU (idle-vcpu-wake.ts), measured by a
   * busy-core run beside the plain runs of its level; the fits above stand for `fitIdleShare`. Absent:
   * each process's CPU per request is the fit's at every host load.
   */
  idleWake?: IdleWake;
  /**
   * The rig's database CPU per statement growing with its busy connections (db-congestion.ts): the
   * fits above stand for none busy. Absent: the same CPU per statement at every load.
   */
  dbCongestion?: DbCongestion;
  /**
   * What a system call cost the fit runs, µs, mean of their `cpu.syscallProbe` each taken back to an
   * idle host (machine-speed.ts loadAdjustedProbeUs): the machine's speed the fits stand for. Absent
   * when a fit run did not record it.
   */
  syscallProbeUs?: number;
  /**
   * The knee probes' machine speed against the fit runs' (machine-speed.ts speedRatioOf, their mean):
   * the probes' CPU joins the curves taken back to the fits' speed, and the knee is read at this one
   * (atKneeProbeSpeed). Absent without probes or syscall probes.
   */
  kneeProbeSpeedRatio?: number;
  /**
   * The rig's event-loop thread: its run-queue time per unit of CPU beyond processor sharing
   * (thread-wake.ts), from the fit runs' `cpu.targetThread`. Absent: none (runs without it).
   */
  threadWake?: ThreadWake;
  /** The share of the target's CPU its event-loop thread runs (loop-thread-share.ts); absent, all of it. */
  loopThread?: LoopThreadShare;
}

/** Endpoints whose requests reach the target (health checks are not workload). */
const WORKLOAD_ENDPOINTS: string[] = [...SYNC_ENDPOINTS, ENDPOINTS.message];

/**
 * Least squares y = fixed + perUnit·x over points, with fixed >= 0 and perUnit >= 0: a negative
 * intercept (noise on a few points) refits through the origin. R² over the points (null below 3).
 */
export function fitLinearNonNegative(points: Array<{ x: number; y: number }>): {
  perUnit: number;
  fixed: number;
  r2: number | null;
} {
  const n = points.length;
  if (n === 0) return { perUnit: 0, fixed: 0, r2: null };
  const xy = points.map((p) => [p.x, p.y]);
  const spread = points.some((p) => p.x !== points[0]!.x);
  let { m: perUnit, b: fixed } = spread ? linearRegression(xy) : { m: 0, b: -1 };
  if (fixed < 0 || perUnit < 0) {
    // Through the origin: perUnit = Σxy / Σx² (least squares with no intercept), never negative.
    const xx = points.reduce((s, p) => s + p.x * p.x, 0);
    perUnit = xx > 0 ? Math.max(0, points.reduce((s, p) => s + p.x * p.y, 0) / xx) : 0;
    fixed = xx > 0 ? 0 : points.reduce((s, p) => s + p.y, 0) / n;
  }
  const flat = points.every((p) => p.y === points[0]!.y);
  const r2 = n >= 3 && !flat ? rSquared(xy, (x) => fixed + perUnit * x) : null;
  return { perUnit, fixed, r2 };
}

/** Requests per second a run sent to the target's workload endpoints (health checks left out). */
export function runRequestsPerSecond(record: RunRecord): number {
  const count = WORKLOAD_ENDPOINTS.reduce((s, e) => s + (record.endpoints[e]?.count ?? 0), 0);
  return count / Math.max(1e-9, record.durationSeconds);
}

/**
 * Cores a run's host spent on neither the target, the database nor k6 (other processes, time stolen
 * by the hypervisor), over the run; null without those measurements.
 */
export function otherCoresOf(record: RunRecord): number | null {
  const c = record.cpu;
  if (!(c?.target && c.database && c.loadGenerator) || c.windowSeconds <= 0) return null;
  const busy = c.host.cpuSeconds - c.target.cpuSeconds - c.database.cpuSeconds - c.loadGenerator.cpuSeconds;
  return Math.max(0, busy / c.windowSeconds);
}

/** Cores the hypervisor stole from a run's host, over the run (part of otherCoresOf); null when not recorded. */
export function stolenCoresOf(record: RunRecord): number | null {
  const c = record.cpu;
  if (c?.host.stealSeconds === undefined || c.windowSeconds <= 0) return null;
  return c.host.stealSeconds / c.windowSeconds;
}

/** Per-run inputs of the CPU fits: loads (x) and CPU in cores (y). */
interface CpuPoint {
  id: string;
  /** The run's level (run-level.ts): its replicates share it. */
  level: string;
  cores: number;
  requestsPerSecond: number;
  statementMsPerSecond: number;
  requestsByEndpoint: Record<string, number>;
  host: number;
  target: number;
  database: number;
  loadGenerator: number;
  /** The host's cores spent on none of the three (otherCoresOf), stolen time apart. */
  other: number;
  /** Cores stolen by the hypervisor (stolenCoresOf; 0 when not recorded). */
  stolen: number;
}

function pointOf(
  record: RunRecord,
  isWorkloadKind: (kind: string) => boolean,
  idleWake: IdleWake | null,
): CpuPoint | null {
  const c = record.cpu;
  if (!(c?.target && c.database && c.loadGenerator) || c.windowSeconds <= 0) return null;
  const d = Math.max(1e-9, record.durationSeconds);
  const w = c.windowSeconds;
  const requestsByEndpoint: Record<string, number> = {};
  for (const e of WORKLOAD_ENDPOINTS) {
    const s = record.endpoints[e];
    if (s && s.count > 0) requestsByEndpoint[e] = s.count;
  }
  const statementMs = Object.entries(record.queryKinds)
    .filter(([k]) => isWorkloadKind(k))
    .reduce((s, [, v]) => s + v.calls * v.meanMs, 0);
  return {
    id: record.id,
    level: runLevelKey(record),
    cores: record.machine.cores,
    requestsPerSecond: runRequestsPerSecond(record),
    statementMsPerSecond: statementMs / d,
    requestsByEndpoint,
    host: c.host.cpuSeconds / w,
    // Each process's CPU taken to the fits' idle share (idle-vcpu-wake.ts; as measured without it).
    target: toFitIdleShare(record, 'target', c.target.cpuSeconds / w, idleWake),
    database: toFitIdleShare(record, 'database', c.database.cpuSeconds / w, idleWake),
    loadGenerator: toFitIdleShare(record, 'loadGenerator', c.loadGenerator.cpuSeconds / w, idleWake),
    other: Math.max(0, (otherCoresOf(record) ?? 0) - (stolenCoresOf(record) ?? 0)),
    stolen: stolenCoresOf(record) ?? 0,
  };
}

/** The CPU calibration and the database's CPU share of statement time, or null when no run measured CPU. */
export interface CpuCalibrationResult {
  cpu: CpuCalibration;
  cpuShareOfDbTime: number;
  cpuShareSource: string;
  /** Per run id (fit runs and knee probes): the host's measured busy cores and its cores (for de-contending latencies). */
  hostLoad: Record<string, { busyCores: number; cores: number }>;
  /** Per knee probe id: the factor its durations were taken back by to the fit runs' machine speed (1 within the probe's noise). */
  probeDurationScale: Record<string, number>;
}

/**
 * Fits the CPU per request of the target, per ms of statement time of the database, and per request
 * of k6 over the runs with `cpu`; the target's per-request CPU is split over endpoints in proportion
 * to each endpoint's time outside the database (`overheadMs`, measured; the assumption: on a loopback
 * rig that time is mostly the target's CPU work for the request, HTTP, JWT, JSON). With `idleWake`
 * each run's CPU is first taken to the fits' idle share (idle-vcpu-wake.ts). `kneeProbes` (runs near
 * the predicted knee: bench:knee's knee probe) join the target's and k6's CPU-at-load curves only
 * here (the database's curve is fitted with the freed statement times, calibrate.ts), so those are read
 * between measured loads rather than carried past the fit's; every other figure is the fit runs'.
 */
export function calibrateCpu(
  records: RunRecord[],
  overheadMs: Record<string, number>,
  isWorkloadKind: (kind: string) => boolean,
  idleWake: IdleWake | null = null,
  kneeProbes: RunRecord[] = [],
): CpuCalibrationResult | null {
  const points = records
    .map((r) => pointOf(r, isWorkloadKind, idleWake))
    .filter((p): p is CpuPoint => p !== null);
  if (points.length === 0) return null;
  const probes = records.flatMap((r) => {
    const p = loadAdjustedProbeUs(r);
    return p === null ? [] : [p];
  });
  const syscallProbeUs = probes.length === records.length ? mean(probes) : undefined;
  // Each knee probe's target and k6 taken back to the fit runs' machine speed (its syscall probe over
  // theirs, the noise band taken out), so a held run predicted at its own speed is not charged twice.
  const probeSpeeds: number[] = [];
  const probeDurationScale: Record<string, number> = {};
  const probeHosts: CpuPoint[] = [];
  const probePoints = kneeProbes.flatMap((r) => {
    const p = pointOf(r, isWorkloadKind, idleWake);
    if (p === null) return [];
    probeHosts.push(p);
    const ratio = speedRatioAgainst(syscallProbeUs, r);
    probeDurationScale[p.id] = ratio === null ? 1 : durationScale(ratio);
    if (ratio === null) return [p];
    probeSpeeds.push(ratio);
    const k = durationScale(ratio);
    return [{ ...p, target: p.target / k, loadGenerator: p.loadGenerator / k }];
  });
  const kneeProbeSpeedRatio = probeSpeeds.length > 0 ? mean(probeSpeeds) : undefined;
  const ids = points.map((p) => p.id).join(', ');
  const fitCpu = (pick: (p: CpuPoint) => { x: number; y: number }, unitMs: number, what: string): CpuFit => {
    const f = fitLinearNonNegative(points.map(pick));
    return {
      perUnit: f.perUnit * unitMs,
      fixedCores: f.fixed,
      r2: f.r2,
      source: `calibrated: ${what} over ${points.length} run(s) (${ids}), least squares, fixed ${f.fixed.toFixed(3)} cores${f.r2 === null ? '' : `, R² ${f.r2.toFixed(3)}`}`,
    };
  };
  // y in cores; x in requests/s → perUnit in s per request, × 1000 = ms per request.
  const app = fitCpu(
    (p) => ({ x: p.requestsPerSecond, y: p.target }),
    1000,
    "the target's cores against requests/s",
  );
  const database = fitCpu(
    (p) => ({ x: p.statementMsPerSecond / 1000, y: p.database }),
    1,
    "the database server's cores against statement time per second",
  );
  const loadGenerator = fitCpu(
    (p) => ({ x: p.requestsPerSecond, y: p.loadGenerator }),
    1000,
    "k6's cores against requests/s",
  );
  const otherCores = points.reduce((s, p) => s + p.other, 0) / points.length;
  const stolenCores = median(points.map((p) => p.stolen));
  // The target's and k6's wake-ups amortised with load (cpu-at-load.ts), where the runs show it; with
  // knee probes, over them too (each load level weighed once, however many replicates it ran), and
  // kept as a line when no amortising shows, so the probes are never dropped.
  const curvePoints = [...points, ...probePoints];
  const perLevel = new Map<string, number>();
  for (const p of curvePoints) perLevel.set(p.level, (perLevel.get(p.level) ?? 0) + 1);
  const amortise = (fit: CpuFit, pick: (p: CpuPoint) => number): CpuFit => {
    const a = fitAmortisedCpu(
      curvePoints.map((p) => ({
        requestsPerSecond: p.requestsPerSecond,
        cores: pick(p),
        weight: 1 / perLevel.get(p.level)!,
      })),
      probePoints.length > 0,
    );
    if (!a) return fit;
    const probed =
      probePoints.length > 0
        ? `; with ${probePoints.length} knee probe(s) (${probePoints.map((p) => p.id).join(', ')}), each load level weighed once`
        : '';
    return { ...fit, amortised: { ...a, source: `${a.source}${probed}` } };
  };
  const appAtLoad = amortise(app, (p) => p.target);
  const loadGeneratorAtLoad = amortise(loadGenerator, (p) => p.loadGenerator);

  // Split the target's mean CPU per request over endpoints by their measured time outside the database.
  const totals: Record<string, number> = {};
  for (const p of points)
    for (const [e, n] of Object.entries(p.requestsByEndpoint)) totals[e] = (totals[e] ?? 0) + n;
  const weighted = Object.entries(totals).reduce((s, [e, n]) => s + n * Math.max(0, overheadMs[e] ?? 0), 0);
  const count = Object.values(totals).reduce((s, n) => s + n, 0);
  const appMsPerRequest: CpuCalibration['appMsPerRequest'] = { default: app.perUnit };
  for (const e of Object.keys(totals)) {
    appMsPerRequest[e] =
      weighted > 0 ? (app.perUnit * Math.max(0, overheadMs[e] ?? 0) * count) / weighted : app.perUnit;
  }
  const hostLoad: CpuCalibrationResult['hostLoad'] = {};
  for (const p of [...points, ...probeHosts]) hostLoad[p.id] = { busyCores: p.host, cores: p.cores };
  const cores = [...new Set(points.map((p) => p.cores))];
  return {
    cpu: {
      appMsPerRequest,
      app: appAtLoad,
      database,
      loadGenerator: loadGeneratorAtLoad,
      otherCores,
      stolenCores,
      ...(syscallProbeUs !== undefined ? { syscallProbeUs } : {}),
      ...(kneeProbeSpeedRatio !== undefined ? { kneeProbeSpeedRatio } : {}),
      rigCores: Math.max(...cores),
      ...(idleWake ? { idleWake } : {}),
      appSplit:
        weighted > 0
          ? "assumption: the target's CPU per request split over endpoints in proportion to each one's measured time outside the database"
          : "the target's mean CPU per request for every endpoint",
    },
    cpuShareOfDbTime: database.perUnit,
    cpuShareSource: database.source,
    hostLoad,
    probeDurationScale,
  };
}

/**
 * The processor-sharing wait (M/M/c, cpu.ts) of `cpuMs` of CPU on a host of `cores` with `busyCores`
 * in use as measured in a run (bounded just below saturation: a measured load of all cores would make
 * it infinite); null when there is none.
 */
export function measuredProcessorSharingWait(
  cpuMs: number,
  busyCores: number,
  cores: number,
): CpuWait | null {
  const c = Math.max(1, Math.round(cores));
  if (cpuMs <= 0 || busyCores <= 0) return null;
  const load = Math.min(busyCores, c * 0.98);
  return processorSharingWait(queue(c, 1, load * 1000, 1), cpuMs);
}

/**
 * The wait of `dbCpuMs` of a statement's CPU on a run's database cores when the run limited the server
 * to fewer than the host's (`machine.dbCores`, rig-db-cpu.ts): processor sharing of its measured busy
 * cores on those cores (bounded just below saturation); null when not limited or not measured.
 */
export function runDatabaseCoreWait(record: RunRecord, dbCpuMs: number): CpuWait | null {
  const { cores, dbCores } = record.machine;
  const c = record.cpu;
  if (!limitsDatabase(cores, dbCores) || !c?.database || c.windowSeconds <= 0) return null;
  return measuredProcessorSharingWait(dbCpuMs, c.database.cpuSeconds / c.windowSeconds, dbCores);
}

/** Sync scenarios' completed iterations per second of a run, one entry per k6 scenario; null when not recorded. */
export function syncStreamsOf(record: RunRecord): number[] | null {
  const by = record.iterations.byScenario;
  if (!by) return null;
  const d = Math.max(1e-9, record.durationSeconds);
  const streams = Object.entries(by)
    .filter(([name]) => name.startsWith('sync'))
    .map(([, n]) => n / d);
  return streams.length > 0 ? streams : null;
}

/**
 * k6's time per sync request outside the measured request (its script between requests), ms: a sync's
 * mean duration over its requests less their mean latency; null without iteration durations.
 */
export function chainGapMsOf(record: RunRecord): number | null {
  const d = record.iterations.meanDurationMs;
  const perSync = record.sync?.requestsPerSync ?? 0;
  if (d === undefined || perSync <= 0) return null;
  let n = 0;
  let ms = 0;
  for (const e of SYNC_ENDPOINTS) {
    const s = record.endpoints[e];
    if (!s || s.count === 0) continue;
    n += s.count;
    ms += s.count * s.mean;
  }
  return n > 0 ? Math.max(0, d / perSync - ms / n) : null;
}

/**
 * A run's load as chains (rig-chains.ts), as measured: its sync streams and mean sync duration, the
 * chains' CPU (sync requests per second × `cpuMsOf` each) and the rest of the host's busy cores
 * outside them; null when the run did not record its iterations' streams and durations. With `cpu`,
 * the target's and k6's parts of the chains' CPU are capped at their threads (rigChainProcesses), as
 * the model's chains are.
 */
export function measuredChainLoad(
  record: RunRecord,
  cpuMsOf: (endpoint: string) => number,
  busyCores: number,
  cores: number,
  cpu?: Pick<CpuCalibration, 'appMsPerRequest' | 'loadGenerator'>,
): ChainLoad | null {
  const streams = syncStreamsOf(record);
  const d = record.iterations.meanDurationMs;
  if (!streams || d === undefined) return null;
  const seconds = Math.max(1e-9, record.durationSeconds);
  const coresOf = (msOf: (endpoint: string) => number): number =>
    SYNC_ENDPOINTS.reduce((s, e) => s + ((record.endpoints[e]?.count ?? 0) / seconds) * (msOf(e) / 1000), 0);
  const chainCores = coresOf(cpuMsOf);
  const processes = cpu
    ? rigChainProcesses(
        coresOf((e) => cpu.appMsPerRequest[e] ?? cpu.appMsPerRequest.default),
        coresOf(() => cpu.loadGenerator.perUnit),
        cores,
      )
    : undefined;
  // The measured duration already holds the waits; the runnable stretch is solved at that duration.
  return withRunnableStretch({
    streams,
    syncSeconds: d / 1000,
    chainCores,
    backgroundCores: Math.max(0, busyCores - chainCores),
    cores,
    syncCv: syncDurationCv(record.sync?.requestsPerSync ?? 0),
    ...(processes ? { processes } : {}),
  });
}

/**
 * The latency an endpoint would have with no wait for a core: the log-normal (median, p95) that, with
 * `wait` (the waits its run had, as measured: for a core, and on the rig for the event loop's turns),
 * gives the measured median and p95. Fixed-point
 * iteration on the two quantiles (each moves its own by ~1:1); the result is kept positive and ordered.
 */
export function withoutCpuWait(
  measured: { medianMs: number; p95Ms: number },
  wait: CpuWait | CpuWait[] | null,
): { medianMs: number; p95Ms: number } {
  if (wait === null) return measured;
  const waits = Array.isArray(wait) ? wait : [wait];
  let m = measured.medianMs;
  let p = measured.p95Ms;
  for (let i = 0; i < 60; i++) {
    const ln = logNormalFromMedianP95(m, p);
    const mean = logNormalMean(ln);
    const l = latency(0, waits, mean, logNormalVariance(ln) / (mean * mean));
    const d50 = measured.medianMs - latencyQuantile(l, 0.5);
    const d95 = measured.p95Ms - latencyQuantile(l, 0.95);
    m = Math.max(measured.medianMs * 0.05, m + d50);
    p = Math.max(m * 1.01, p + d95);
    if (Math.abs(d50) < 1e-5 && Math.abs(d95) < 1e-5) break;
  }
  return { medianMs: m, p95Ms: p };
}
