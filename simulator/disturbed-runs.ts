import { median } from 'simple-statistics';
import type { RunRecord } from '../core/run-record.ts';
import { runRequestsPerSecond, stolenCoresOf } from './calibrate-cpu.ts';
import { runLevelKey } from './run-level.ts';

// Fit runs measured on a disturbed machine, set aside before anything is fitted (issue 12; session 10).
//
// A shared VM's neighbours only ever take from it: time stolen by the hypervisor, caches and memory
// bandwidth shared. So a run made in a disturbed minute costs more host CPU per request than the same
// level run in a quiet one, never less, and its processes' CPU per request is inflated with it. Two
// rules, each measured where it was needed:
// - Stolen time. In bench:knee 2026-12-02 03:03 (full sync) both replicates of 3,000 users ran with
//   0.45 and 0.48 of the 2 cores stolen (the other levels 0.05-0.14) and the database's CPU per
//   statement 0.80-0.84 ms against 0.59-0.73 at 1,500 and 4,500 users; fitted with them, the model put
//   the knee at 5,935 users where the session before measured it above 9,000. A run with more than
//   MAX_STOLEN_SHARE of its cores stolen is set aside.
// - Replicates. In bench:knee 2026-12-02 02:31 (launch-mix) one fit replicate of six (900 users, 0.15
//   cores stolen, every process's CPU per request ~20 % above its sibling's) moved the model's REST p95s
//   at 0.8-0.9 K from 31-40 % under the measurement (without it) to 28-45 % over (with it). With three
//   or more replicates of a level the median is a run of the usual machine, and a replicate whose host
//   CPU per request exceeds it by more than DISTURBED_MARGIN is set aside. With two, neither can be
//   told from the other: both kept.
// When the rules would leave no run at all, every run is kept (and the notes say the machine was
// disturbed throughout). A run whose cores were kept busy by idle-class spinners (machine.busyCores,
// scripts/run/busy-cores.ts) is always set aside: it measures CPU per request on busy cores and its
// host reads every core busy, so it is never a fit run (idle-vcpu-wake.ts reads it beside the plain
// runs of its level for the CPU a wake-up onto an idle vCPU costs).

/** Share of a run's cores stolen by the hypervisor above which the run is set aside. */
export const MAX_STOLEN_SHARE = 0.1;

/** How far above its level's median host CPU per request a replicate counts as disturbed. */
export const DISTURBED_MARGIN = 0.2;

/** Fewest replicates of a level for the median to stand for the usual machine. */
export const DISTURBED_MIN_REPLICATES = 3;

/** A run set aside, and why. */
export interface DisturbedRun {
  id: string;
  reason: string;
}

/** The host's CPU per workload request of a run, ms; null without host CPU or requests. */
export function hostCpuMsPerRequest(record: RunRecord): number | null {
  const c = record.cpu;
  const rate = runRequestsPerSecond(record);
  if (!c || c.windowSeconds <= 0 || !(rate > 0)) return null;
  return (c.host.cpuSeconds / c.windowSeconds / rate) * 1000;
}

/** Why a run's stolen time sets it aside, or null. */
function stolenReason(record: RunRecord): string | null {
  const stolen = stolenCoresOf(record);
  const share = stolen === null ? 0 : stolen / record.machine.cores;
  return share > MAX_STOLEN_SHARE
    ? `${stolen!.toFixed(2)} of its ${record.machine.cores} cores stolen by the hypervisor (${(share * 100).toFixed(1)}%, over ${(MAX_STOLEN_SHARE * 100).toFixed(0)}%): a disturbed machine`
    : null;
}

/**
 * Splits runs into those kept and those set aside as measured on a disturbed machine: runs with more
 * than MAX_STOLEN_SHARE of their cores stolen, then, of each level with at least DISTURBED_MIN_REPLICATES
 * of the rest that measured host CPU, those whose host CPU per request is more than DISTURBED_MARGIN
 * above the level's median. Order of the kept runs is preserved; all are kept (`disturbedThroughout`)
 * when none would be.
 */
export function withoutDisturbedRuns<T extends { record: RunRecord }>(
  runs: readonly T[],
): { kept: T[]; setAside: DisturbedRun[]; disturbedThroughout: boolean } {
  const busy = runs.filter((r) => r.record.machine.busyCores !== undefined);
  const busyAside = busy.map((run) => ({
    id: run.record.id,
    reason: `its cores were kept from idling (${run.record.machine.busyCores} spinner(s) at SCHED_IDLE): a measurement of CPU per request on busy cores, not a fit run`,
  }));
  const plain = runs.filter((r) => r.record.machine.busyCores === undefined);
  const rest = withoutDisturbedPlainRuns(plain);
  return { ...rest, setAside: [...busyAside, ...rest.setAside] };
}

/** withoutDisturbedRuns on runs none of whose cores were kept busy. */
function withoutDisturbedPlainRuns<T extends { record: RunRecord }>(
  runs: readonly T[],
): { kept: T[]; setAside: DisturbedRun[]; disturbedThroughout: boolean } {
  const aside = new Map<T, string>();
  for (const run of runs) {
    const why = stolenReason(run.record);
    if (why) aside.set(run, why);
  }
  const levels = new Map<string, Array<{ run: T; ms: number }>>();
  for (const run of runs) {
    const ms = hostCpuMsPerRequest(run.record);
    if (ms === null || aside.has(run)) continue;
    const key = runLevelKey(run.record);
    levels.set(key, [...(levels.get(key) ?? []), { run, ms }]);
  }
  for (const level of levels.values()) {
    if (level.length < DISTURBED_MIN_REPLICATES) continue;
    const mid = median(level.map((l) => l.ms));
    for (const { run, ms } of level)
      if (ms > mid * (1 + DISTURBED_MARGIN))
        aside.set(
          run,
          `host CPU ${ms.toFixed(2)} ms per request, ${((ms / mid - 1) * 100).toFixed(0)}% above the median of its ${level.length} replicates (${mid.toFixed(2)} ms): a disturbed machine`,
        );
  }
  if (runs.length > 0 && aside.size === runs.length)
    return { kept: [...runs], setAside: [], disturbedThroughout: true };
  return {
    kept: runs.filter((r) => !aside.has(r)),
    setAside: [...aside].map(([run, reason]) => ({ id: run.record.id, reason })),
    disturbedThroughout: false,
  };
}
