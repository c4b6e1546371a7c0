import { type CpuWait, processorSharingWait } from './cpu.ts';
import type { Queue } from './queueing.ts';
import { queue } from './queueing.ts';

// The host's cores as the target's one JavaScript thread competes for them (rig only; issue 12).
//
// The target's CPU runs on its event loop: one thread, whose turns never compete with each other for a
// core (they queue on the loop, event-loop.ts). So when a turn waits for a core, it waits behind the
// other work only: PostgreSQL's backends, k6's goroutines, other processes. Counting the target's own
// CPU among its competitors (session 7: the loop's turns stretched by the whole host's stretch) made
// the loop look saturated where it was not: at 1.1 K of full sync on the 2-core rig (bench:knee
// 2026-12-01 20:08) the host was 78 % busy, the loop's thread 0.45 of a core, and the model had the loop
// saturated (0.49 × a stretch of ~2.5); the measured run carried its load with p95s a half to a third of
// the prediction, and saturated only at 1.3 K. The thread's view is processor sharing (M/M/c) at the
// host's load less the target's, plus its wake-up share (thread-wake.ts). Session 31: the runs' own
// schedstat of the thread (bench:knee 2026-12-04 23:06) put its stretch at that plus 0.31 from 2,000
// users to past the knee, where the chains' view (the other chains' runnable count, rig-chains.ts)
// that stood here from session 8 to 30 gave 1.35-1.42 where 1.65-1.97 was measured: the others'
// runnable work the thread finds is not bounded by the chains in flight (each process runs several
// threads, and PostgreSQL's backends and k6's goroutines wake independently of the syncs' steps).

/** The host as the target's thread sees it: processor sharing at the others' load, and its wake-up share. */
export interface ThreadHost {
  /** The host's cores at the load of everything but the thread. */
  cpu: Queue;
  /** Run-queue time per unit of the thread's CPU beyond processor sharing (thread-wake.ts); 0: none. */
  wakeStretch: number;
}

/**
 * Processor sharing on `cores` at `hostCores` busy less the thread's own `ownCores` (held just below
 * saturation when a measured load reaches every core, as calibrate-cpu.ts does), with the thread's
 * wake-up share `wakeStretch`.
 */
export function processorSharingWithoutThread(
  hostCores: number,
  ownCores: number,
  cores: number,
  wakeStretch = 0,
): ThreadHost {
  const c = Math.max(1, Math.round(cores));
  const others = Math.min(Math.max(0, hostCores - ownCores), c * 0.98);
  return { cpu: queue(c, 1, others * 1000, 1), wakeStretch: Math.max(0, wakeStretch) };
}

/** Wall time per CPU time of the thread's work under its competitors' alone (>= 1): 1 + C/(c − A). */
export function competitionStretch(host: ThreadHost): number {
  const q = host.cpu;
  return q.saturated ? Number.POSITIVE_INFINITY : 1 + q.probabilityOfWaiting / (q.servers - q.offeredLoad);
}

/**
 * The wait for a core of `cpuMs` of the thread's CPU, under its competitors' work (null: none). Its
 * wake-up share is not in it: the loop's queue has each pass wait that once (event-loop.ts).
 */
export function threadCpuWait(host: ThreadHost, cpuMs: number): CpuWait | null {
  return processorSharingWait(host.cpu, cpuMs);
}
