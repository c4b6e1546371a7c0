import { median } from 'simple-statistics';
import type { RunRecord } from '../core/run-record.ts';
import type { Calibration } from './calibration.ts';
import { erlangC } from './erlang-c.ts';
import { runLevelKey } from './run-level.ts';

// The CPU a rig's process spends waking its work onto an idle vCPU (issue 12; sessions 20-21). Pure.
//
// On the 2-core VM a request's work is woken onto a vCPU many times (the target's event loop, each
// database backend, k6's goroutines). When the wake-up finds a vCPU idle (halted), the guest pays to
// bring it back: the IPI, the hypervisor's exit and entry, a cold cache. When every vCPU is busy the
// work queues on a run queue instead and pays none of that. Measured with `atlas-cap run --busy-cores 2`
// (two SCHED_IDLE spinners that keep the vCPUs from halting, taking no time from anything else):
// session 20, full sync, target + database + k6 CPU per sync 70.9 ms plain against 59.4 on busy cores at
// 2,000 users, 54.4 against 47.4 at 8,203. So about a sixth of a sync's CPU at the fit levels is this
// cost, and it fades as the host fills: the fit levels' CPU per sync, carried to the knee, put the
// knee 30 % or more below the load the rig carried (sessions 13-20).
//
// A wake-up finds a vCPU idle unless all are busy; the share that do is 1 − C(c, U), Erlang C's
// probability that an arrival finds all c servers busy at U busy cores (PASTA). A process's CPU is
//   cpu(U) = busyCoreCpu · (1 + k·(1 − C(c, U)))
// and k is measured per process from busy-core runs and the plain runs of their levels: plain / busy − 1
// = k·(1 − C(c, U_plain)), by least squares over the levels (bench:knee runs each fit level so once).
// The fits are taken at the fit runs' mean idle share (each fit run's CPU moved to it first), so a
// prediction scales each process's fitted CPU by (1 + k·idle(U)) / (1 + k·idle_fit), U solved with it.

/** Per rig process: its CPU on a host whose every wake-up finds a vCPU idle, over its CPU on busy cores, less 1. */
export interface IdleWake {
  target: number;
  database: number;
  loadGenerator: number;
  /** The idle share (1 − C(c, U)) the CPU fits stand for: the mean over the fit runs. */
  fitIdleShare: number;
  source: string;
}

/** The rig's processes whose wake-ups are modelled. */
export const WAKE_PROCESSES = ['target', 'database', 'loadGenerator'] as const;
/** One of them. */
export type WakeProcess = (typeof WAKE_PROCESSES)[number];

/** Share of wake-ups that find one of `cores` vCPUs idle with `busyCores` busy: 1 − Erlang C. */
export function idleShare(cores: number, busyCores: number): number {
  const c = Math.max(1, Math.round(cores));
  return 1 - erlangC(c, Math.min(c, Math.max(0, busyCores)));
}

/** A run's host busy cores less the time stolen from it; null without host CPU. */
export function ownBusyCores(record: RunRecord): number | null {
  const c = record.cpu;
  if (!c || c.windowSeconds <= 0) return null;
  return Math.max(0, (c.host.cpuSeconds - (c.host.stealSeconds ?? 0)) / c.windowSeconds);
}

/** A process's CPU per iteration of a run (its mean share of a core over the iterations per second), ms; null when not measured. */
export function processMsPerIteration(record: RunRecord, p: WakeProcess): number | null {
  const c = record.cpu?.[p];
  const rate = record.iterations.rate;
  return c && rate > 0 ? (c.cpuPercentMean / 100 / rate) * 1000 : null;
}

/**
 * k per process from the busy-core runs among `records` against the plain runs of their level (medians
 * of each): least squares through the origin of plain / busy − 1 on the plain runs' idle share over the
 * levels that have both (Σ r·s / Σ s²: a level near the knee, where few wake-ups find a vCPU idle, says
 * little about k and weighs little), at least 0. `fitRecords` (the plain runs the CPU fits use) set the
 * fits' idle share. Null without such a pair.
 */
export function calibrateIdleWake(records: RunRecord[], fitRecords: RunRecord[]): IdleWake | null {
  const busy = records.filter((r) => r.machine.busyCores !== undefined);
  const plain = records.filter((r) => r.machine.busyCores === undefined);
  const pairs: Array<{ idle: number; ratio: Record<WakeProcess, number> }> = [];
  const used: string[] = [];
  for (const b of busy) {
    const level = plain.filter((r) => runLevelKey(r) === runLevelKey(b));
    const hosts = level.map(ownBusyCores).filter((x): x is number => x !== null);
    if (hosts.length === 0) continue;
    const idle = idleShare(b.machine.cores, median(hosts));
    const ratio: Partial<Record<WakeProcess, number>> = {};
    for (const p of WAKE_PROCESSES) {
      const mine = processMsPerIteration(b, p);
      const theirs = level.map((r) => processMsPerIteration(r, p)).filter((x): x is number => x !== null);
      if (mine !== null && mine > 0 && theirs.length > 0) ratio[p] = median(theirs) / mine - 1;
    }
    if (!(idle > 0) || WAKE_PROCESSES.some((p) => ratio[p] === undefined)) continue;
    pairs.push({ idle, ratio: ratio as Record<WakeProcess, number> });
    const total = WAKE_PROCESSES.map((p) => `${p} ${((ratio[p] ?? 0) * 100).toFixed(0)} %`).join(', ');
    used.push(
      `${b.id} against ${level.length} plain run(s) at ${b.users} users (idle share ${idle.toFixed(2)}; plain over busy ${total})`,
    );
  }
  if (pairs.length === 0) return null;
  const squares = pairs.reduce((s, x) => s + x.idle * x.idle, 0);
  const k = (p: WakeProcess): number =>
    Math.max(0, pairs.reduce((s, x) => s + x.ratio[p] * x.idle, 0) / squares);
  const fitShares = fitRecords
    .map((r) => {
      const u = ownBusyCores(r);
      return u === null ? null : idleShare(r.machine.cores, u);
    })
    .filter((x): x is number => x !== null);
  const fitIdleShare = fitShares.length > 0 ? fitShares.reduce((s, x) => s + x, 0) / fitShares.length : 1;
  const wake = { target: k('target'), database: k('database'), loadGenerator: k('loadGenerator') };
  return {
    ...wake,
    fitIdleShare,
    source: `calibrated: CPU per iteration on busy cores (--busy-cores) against plain, ${used.join('; ')}; least squares on the idle share: k target ${wake.target.toFixed(3)}, database ${wake.database.toFixed(3)}, k6 ${wake.loadGenerator.toFixed(3)}; the fits stand for idle share ${fitIdleShare.toFixed(3)} (mean of ${fitShares.length} fit run(s))`,
  };
}

/** The factor that takes a process's CPU from one idle share to another: (1 + k·to) / (1 + k·from). */
export function wakeFactor(k: number, fromIdleShare: number, toIdleShare: number): number {
  return (1 + k * toIdleShare) / (1 + k * fromIdleShare);
}

/**
 * A process's measured `cores` in a run taken to the fits' idle share: as measured at the run's own
 * idle share, moved by wakeFactor. Unchanged without `w`, or when the run's host load was not measured.
 */
export function toFitIdleShare(
  record: RunRecord,
  p: WakeProcess,
  cores: number,
  w: IdleWake | null | undefined,
): number {
  const u = ownBusyCores(record);
  if (!w || u === null) return cores;
  return cores * wakeFactor(w[p], idleShare(record.machine.cores, u), w.fitIdleShare);
}

/**
 * The calibration with each process's CPU moved from the fits' idle share to `toIdleShare`: the
 * target's per request (by endpoint) and fixed part, the database's share of statement time and fixed
 * part, k6's per request and fixed part. The same calibration without `cal.cpu.idleWake`.
 */
export function cpuCalibrationAtIdleShare(cal: Calibration, toIdleShare: number): Calibration {
  const c = cal.cpu;
  const w = c?.idleWake;
  if (!c || !w) return cal;
  const f = (p: WakeProcess): number => wakeFactor(w[p], w.fitIdleShare, toIdleShare);
  const [t, d, g] = [f('target'), f('database'), f('loadGenerator')];
  const appMsPerRequest = { ...c.appMsPerRequest };
  for (const e of Object.keys(appMsPerRequest)) appMsPerRequest[e] = appMsPerRequest[e]! * t;
  return {
    ...cal,
    cpuShareOfDbTime: cal.cpuShareOfDbTime * d,
    cpu: {
      ...c,
      appMsPerRequest,
      app: { ...c.app, perUnit: c.app.perUnit * t, fixedCores: c.app.fixedCores * t },
      database: { ...c.database, perUnit: c.database.perUnit * d, fixedCores: c.database.fixedCores * d },
      loadGenerator: {
        ...c.loadGenerator,
        perUnit: c.loadGenerator.perUnit * g,
        fixedCores: c.loadGenerator.fixedCores * g,
      },
    },
  };
}

/**
 * The host's busy cores with the wake-up cost at their own level: U = rest + Σ parts[p]·wakeFactor(k_p,
 * fit, idle(U)), parts being each process's cores at the fits' idle share. The right side falls as U
 * rises, so the one solution is found by bisection. Returns U and its idle share.
 */
export function solveIdleShare(
  w: IdleWake,
  cores: number,
  parts: Record<WakeProcess, number>,
  rest: number,
): { busyCores: number; idleShare: number } {
  const rhs = (u: number): number => {
    const idle = idleShare(cores, u);
    return rest + WAKE_PROCESSES.reduce((s, p) => s + parts[p] * wakeFactor(w[p], w.fitIdleShare, idle), 0);
  };
  let lo = 0;
  let hi = Math.max(rhs(0), rest) + 1;
  for (let i = 0; i < 100 && hi - lo > 1e-9; i++) {
    const mid = (lo + hi) / 2;
    if (rhs(mid) > mid) lo = mid;
    else hi = mid;
  }
  const u = (lo + hi) / 2;
  return { busyCores: u, idleShare: idleShare(cores, u) };
}
