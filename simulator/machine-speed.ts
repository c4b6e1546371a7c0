import type { RunRecord } from '../core/run-record.ts';
import type { BaseLatency } from './base-latency.ts';
import type { CpuFit } from './calibrate-cpu.ts';
import type { Calibration } from './calibration.ts';

// The machine's speed as a run context (issue 12, session 15). On the shared 2-core VM the same work
// costs two amounts of CPU in turn, minutes at a time, with no stolen time to show it: in bench:knee
// runs of 2026-12-02 the host's CPU per full sync was 69-73 ms at every fit level of one bench
// (2,000-5,000 users) and 45-54 ms at every knee level after it (5,400-11,700 users), and in another
// 51 ms at 3,000, 4,500, 5,500 and 6,500 users but 70 ms at 4,000, the target's, the database's and
// k6's alike (+37 % each). A C loop of getppid calls cost 19.4 µs per 100 in one state and 26-27 in
// the other, idle or under load, and followed the runs. So every run records what a system call cost
// it (core/run-record.ts `cpu.syscallProbe`), the calibration what its fit runs' cost on average (each
// probe taken back to an idle host: the probe rises with the host's own load, PROBE_LOAD_SLOPE), and
// a run predicted as it was run, when its probe left the probe's own noise (PROBE_NOISE_BAND), has every duration of the calibration stretched by the ratio raised to
// SPEED_EXPONENT: the statements' times, the target's and k6's CPU per request, the base
// latencies, the fixed CPU of the processes. Loopback work is CPU work, so all of it; waits on I/O
// would not stretch, and the rig has next to none. Pure.

/**
 * How a run's CPU per request moves with its syscall probe: cost ∝ probe^SPEED_EXPONENT. Measured,
 * 2026-12-02, as the slope of log(host CPU per sync) on log(probe): 0.42 over seven full-sync runs of
 * 4,200-9,100 users (probe 0.69-1.03 µs, host 53-66 ms per sync; r 0.85; the database's alone 0.87,
 * the target's 0.23, k6's 0.45), and 0.78 from the one run caught wholly in the slow state (4,000
 * users: CPU per sync ×1.37 beside its neighbours, where a C getppid loop read ×1.37 and this probe
 * reads ×1.5 between the states). 0.6, range 0.4-0.8: a system call is dearer in the slow state than
 * the rest of the work.
 */
export const SPEED_EXPONENT = 0.6;

/**
 * How much the probe itself rises with the host's own load: probe ∝ 1 + PROBE_LOAD_SLOPE · u, u the
 * host's busy share of its cores over the run. Measured, 2026-12-03 (bench:knee sweep of full sync,
 * 2,000-11,700 users on one machine whose state did not move: a C loop of 100,000 getppid calls beside
 * it read 18-22 ms throughout, +10 % under the load): the runner's probe rose from 0.54-0.58 µs at
 * u 0.27-0.40 to 0.69-0.74 at u 0.43-0.88, while the host's CPU per sync stayed at 46-52 ms. Compared
 * raw, the knee levels read as a machine ×1.2 slower than the fit's and were predicted 10 % dearer
 * (p95s +40 to +73 % where the unscaled model was within −26 to +28 %). 0.55, range 0.3-0.8
 * (assumption beyond that one sweep: seven runs, least squares of probe on u without the first run).
 */
export const PROBE_LOAD_SLOPE = 0.55;

/** The host's busy share of its cores over a run (0-1), or null without a CPU record. */
export function hostBusyShareOf(record: RunRecord): number | null {
  const c = record.cpu;
  if (!c || !(c.windowSeconds > 0) || !(record.machine.cores > 0)) return null;
  return Math.min(1, c.host.cpuSeconds / (c.windowSeconds * record.machine.cores));
}

/**
 * A run's syscall probe as an idle host would have read it (µs): its probe over 1 + PROBE_LOAD_SLOPE ·
 * its host's busy share; null when it recorded none.
 */
export function loadAdjustedProbeUs(record: RunRecord): number | null {
  const probe = record.cpu?.syscallProbe?.usPerCall;
  const busy = hostBusyShareOf(record);
  if (!probe || !(probe > 0) || busy === null) return null;
  return probe / (1 + PROBE_LOAD_SLOPE * busy);
}

/**
 * The probe's own noise between runs of one machine state: the span within which a probe ratio says
 * nothing about the machine. Measured, 2026-12-03: the load-adjusted probe of 27 bench:knee runs on one
 * machine whose CPU per sync did not move (a C getppid loop beside them within 10 %) spread ×0.79-1.2
 * of their fit runs'; applied as a speed, that spread alone put the knee levels' predictions 7-12 %
 * low in host busy cores (bench 1 of session 17). The slow state of 2026-12-02 read ×1.37-1.5, beyond
 * it. 1.2, range 1.1-1.3 (assumption beyond those runs).
 */
export const PROBE_NOISE_BAND = 1.2;

/** A raw probe ratio with the probe's noise taken out: 1 within PROBE_NOISE_BAND, else moved back by it. */
export function deadBandedRatio(raw: number): number {
  if (raw > PROBE_NOISE_BAND) return raw / PROBE_NOISE_BAND;
  if (raw < 1 / PROBE_NOISE_BAND) return raw * PROBE_NOISE_BAND;
  return 1;
}

/**
 * How much dearer a run's CPU was than its calibration's: its load-adjusted syscall probe over the
 * calibration's, with the probe's noise taken out (deadBandedRatio), or null when either is missing.
 */
export function speedRatioOf(cal: Calibration, record: RunRecord): number | null {
  return speedRatioAgainst(cal.cpu?.syscallProbeUs, record);
}

/**
 * How much dearer a run's CPU was than a reference idle-host probe (µs): its load-adjusted syscall
 * probe over it, with the probe's noise taken out (deadBandedRatio), or null when either is missing.
 */
export function speedRatioAgainst(refUs: number | undefined, record: RunRecord): number | null {
  const run = loadAdjustedProbeUs(record);
  if (!refUs || run === null || !(refUs > 0)) return null;
  return deadBandedRatio(run / refUs);
}

/** The factor every duration and CPU figure scales by on a machine `ratio` times as dear for system calls. */
export function durationScale(ratio: number): number {
  return ratio ** SPEED_EXPONENT;
}

/**
 * A CPU fit `k` times as dear: its fixed cores always; its CPU per unit when the unit is a request
 * (`msField`), not when it is a ms of statement time, which itself stretches by k.
 */
function scaledFit(fit: CpuFit, k: number, msField: boolean): CpuFit {
  const a = fit.amortised;
  const perUnit = msField ? k : 1;
  return {
    ...fit,
    perUnit: fit.perUnit * perUnit,
    fixedCores: fit.fixedCores * k,
    ...(a
      ? {
          amortised: {
            ...a,
            fixedCores: a.fixedCores * k,
            msPerRequest: a.msPerRequest * perUnit,
            wakeMsPerRequest: a.wakeMsPerRequest * perUnit,
          },
        }
      : {}),
  };
}

function scaledBase(b: BaseLatency, k: number): BaseLatency {
  return {
    ...b,
    medianMs: b.medianMs * k,
    p95Ms: b.p95Ms * k,
    ...(b.fade ? { fade: { ...b.fade, medianMs: b.fade.medianMs * k, p95Ms: b.fade.p95Ms * k } } : {}),
  };
}

function scaledRecord<T>(r: Record<string, T>, f: (x: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(r).map(([key, x]) => [key, f(x)]));
}

/**
 * The calibration on a machine whose system calls cost `ratio` times its fit runs' (ratio^SPEED_EXPONENT
 * on every duration and CPU figure; the database's CPU share of statement time, the queries per sync and
 * the hypervisor's stolen cores unchanged). The same calibration at a ratio of 1.
 */
export function atMachineSpeed(cal: Calibration, ratio: number): Calibration {
  return atDurationScale(cal, durationScale(ratio));
}

/**
 * The calibration with every duration and CPU figure `k` times its own (the database's CPU share of
 * statement time, the queries per sync and the hypervisor's stolen cores unchanged). The same
 * calibration at k = 1 (or a k that is not a positive number).
 */
export function atDurationScale(cal: Calibration, k: number): Calibration {
  if (!(k > 0) || k === 1) return cal;
  const c = cal.cpu;
  return {
    ...cal,
    demands: scaledRecord(cal.demands, (d) => ({ ...d, meanMs: d.meanMs * k })) as Calibration['demands'],
    connectionOverheadMs: cal.connectionOverheadMs * k,
    requestOverheadMs: scaledRecord(cal.requestOverheadMs, (x) => x * k) as Calibration['requestOverheadMs'],
    ...(cal.baseLatency ? { baseLatency: scaledRecord(cal.baseLatency, (b) => scaledBase(b, k)) } : {}),
    ...(c
      ? {
          cpu: {
            ...c,
            appMsPerRequest: scaledRecord(c.appMsPerRequest, (x) => x * k) as typeof c.appMsPerRequest,
            app: scaledFit(c.app, k, true),
            database: scaledFit(c.database, k, false),
            loadGenerator: scaledFit(c.loadGenerator, k, true),
            otherCores: c.otherCores * k,
            ...(c.chains ? { chains: { ...c.chains, gapMsPerRequest: c.chains.gapMsPerRequest * k } } : {}),
          },
        }
      : {}),
  };
}

/**
 * The calibration where its knee is read: at its knee probes' machine speed (cpu.kneeProbeSpeedRatio,
 * the speed the probes' CPU was taken back from), or as it is without probes.
 */
export function atKneeProbeSpeed(cal: Calibration): Calibration {
  const ratio = cal.cpu?.kneeProbeSpeedRatio;
  return ratio === undefined ? cal : atMachineSpeed(cal, ratio);
}
