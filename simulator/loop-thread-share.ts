import { median } from 'simple-statistics';
import type { RunRecord } from '../core/run-record.ts';

// The share of the target process's CPU that its event loop's thread runs (issue 12, session 34). Pure.
//
// The model put all of the target's CPU on its one event-loop thread (event-loop.ts), but a Node
// process runs more threads: V8's garbage-collection helpers, libuv's pool, the compiler. On
// bench:knee's launch-mix of 2026-12-05 08:16 the main thread (schedstat, `cpu.targetThread`) ran
// 0.20, 0.24 and 0.25 cores where the process ran 0.25, 0.31 and 0.32 at 0.6, 0.8 and 0.9K (0.80 of
// it), and the model's loop, carrying the whole, was a fifth too busy at every level (wall share 0.35,
// 0.43, 0.47 predicted against 0.28, 0.37, 0.39) with the REST p95s 16-29 % over; on full sync (session
// 33's 0.8K runs) the thread ran 0.94 of its process. So the loop carries this share of the target's
// CPU, calibrated on the fit runs that measured both, and the rest is other work on the host.

/** The loop thread's share of the target process's CPU. */
export interface LoopThreadShare {
  /** Main thread's CPU over the process's, 0-1 (median over the fit runs). */
  share: number;
  source: string;
}

/** One run's main-thread CPU over its process's (both as cores over their windows), or null when it lacks either. */
export function loopThreadShareOf(record: RunRecord): number | null {
  const thread = record.cpu?.targetThread;
  const target = record.cpu?.target;
  const window = record.cpu?.windowSeconds ?? 0;
  if (!thread || !target || !(thread.windowSeconds > 0) || !(window > 0) || !(target.cpuSeconds > 0))
    return null;
  const share = thread.cpuSeconds / thread.windowSeconds / (target.cpuSeconds / window);
  return share > 0 ? Math.min(1, share) : null;
}

/** The loop thread's share over the runs that measured it (median), or null when none did. */
export function calibrateLoopThreadShare(records: RunRecord[]): LoopThreadShare | null {
  const shares = records.map(loopThreadShareOf).filter((s): s is number => s !== null);
  if (shares.length === 0) return null;
  const share = median(shares);
  return {
    share,
    source: `calibrated: the target's main thread's CPU (schedstat) over its process's, median over ${shares.length} fit run(s): ${share.toFixed(3)} (runs ${Math.min(...shares).toFixed(3)} to ${Math.max(...shares).toFixed(3)})`,
  };
}

/** The share of the target's CPU its event loop carries: the calibrated share, else all of it. */
export function loopShareOf(cpu: { loopThread?: LoopThreadShare }): number {
  const s = cpu.loopThread?.share;
  return s !== undefined && s > 0 && s <= 1 ? s : 1;
}
