import { median } from 'simple-statistics';

// What the target's event-loop thread waits on the run queue beyond its competitors' work (rig only;
// issue 12, session 31).
//
// The runs record the thread's own schedstat (`cpu.targetThread`: CPU, run-queue time, timeslices). On
// bench:knee's full sync of 2026-12-04 23:06 (2 cores; 2,000 users to 1.6 × the rig's knee) its wall
// time per CPU time was the stretch that processor sharing at the host's load less its own gives
// (thread-host.ts) plus a constant: 0.31 at 2,000, 3,500 and 5,000 users (host 0.5-1.0 cores) and
// 0.24-0.34 at 8,105-17,560 (host 1.4-1.8), where that stretch grew from 1.03 to 1.85. The thread sleeps
// in epoll when idle and each wake-up waits for a core (on these vCPUs, mostly waking an idle one);
// as the loop fills it sleeps less but is preempted more, and its wait beyond the competitors' work
// stayed about a third of its CPU throughout. So the thread's stretch is that of processor sharing plus
// this share, calibrated on the fit runs.

/** The thread's run-queue time beyond processor sharing, per unit of its CPU. */
export interface ThreadWake {
  /** Added to the thread's stretch (wall time per CPU time). */
  stretch: number;
  /** Lowest and highest of the runs it was calibrated on. */
  range: [number, number];
  source: string;
}

/** One fit run's thread: its measured CPU and run-queue shares and the stretch its competitors give it. */
export interface ThreadWakeRun {
  /** The thread's CPU per second of wall clock (cores). */
  cpuShare: number;
  /** Its time runnable but waiting for a core, per second of wall clock. */
  runQueueShare: number;
  /** Wall time per CPU time that processor sharing at the run's load less the thread's gives (>= 1). */
  competitionStretch: number;
}

/** A run's stretch beyond its competitors': run-queue time over CPU less (competition − 1). Null without CPU. */
export function wakeStretchOfRun(run: ThreadWakeRun): number | null {
  if (!(run.cpuShare > 0)) return null;
  return run.runQueueShare / run.cpuShare - (Math.max(1, run.competitionStretch) - 1);
}

/** The median over fit runs of their stretch beyond their competitors' (at least 0); null without a run. */
export function calibrateThreadWake(runs: ThreadWakeRun[]): ThreadWake | null {
  const read = runs.map(wakeStretchOfRun).filter((x): x is number => x !== null);
  if (read.length === 0) return null;
  const stretch = Math.max(0, median(read));
  const lo = Math.min(...read);
  const hi = Math.max(...read);
  return {
    stretch,
    range: [lo, hi],
    source: `calibrated: the target thread's run-queue time over its CPU, less processor sharing's stretch at each run's load, median over ${read.length} fit run(s): +${stretch.toFixed(3)} (runs ${lo.toFixed(3)} to ${hi.toFixed(3)})`,
  };
}
