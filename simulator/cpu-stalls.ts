import type { CpuWait } from './cpu.ts';

// Stolen time arrives in stalls. A shared VM's hypervisor does not hand its vCPUs a steady fraction of
// a core: it takes a vCPU away whole, for a few milliseconds at a time, and every thread that wakes on
// it meanwhile waits the stall out. Processor sharing (cpu.ts) spreads stolen cores over all the work
// as if finely sliced, which is right for throughput and wrong for latency: a request wakes a thread
// several times on its way (k6 sending, the target's event loop twice, the database backend, k6
// receiving), and each wake finds its vCPU stalled with the stolen share of the time. Measured on the
// rig (2026-12-02 06:13, a thread spinning on the clock for 20 s beside 0.36 stolen cores of 2: 17.6 %
// of its time in gaps, 739 gaps over 0.5 ms, p50 2.3 ms, p90 11.0, p99 22.4, max 40.8; a wake in a gap
// waits its residual, E[G²] / 2E[G] = 5.5 ms). In bench:knee's full-sync runs the same morning the
// REST p95 followed the run's stolen cores, not its host load (0.6 K: 11.6 ms at 0.18 stolen, 31.5 at
// 0.30), and every run above 0.2 stolen cores near the knee had its pool fill in episodes.

/** Mean wait of a wake that finds its vCPU stalled, ms (the stall's residual). Assumption from the probe above, range 2-10. */
export const STALL_RESIDUAL_MS = 5.5;

/**
 * Wakes on a request's path that can find their vCPU stalled: k6 sending, the event loop's two passes,
 * the database backend (k6's receive shares the loop's second pass's core). Assumption, range 2-5.
 */
export const STALL_WAKES_PER_REQUEST = 4;

/** Wakes inside a connection's hold: the database backend's, and the event loop's for the result. Assumption, range 1-3. */
export const STALL_WAKES_PER_HOLD = 2;

/** Share of the time a vCPU is stalled: stolen cores over the rig's cores (0 when nothing is stolen). */
export function stallShare(stolenCores: number, cores: number): number {
  return cores > 0 ? Math.min(1, Math.max(0, stolenCores / cores)) : 0;
}

/** The waits of `wakes` wakes at stall share `share`: each with that probability, the residual in the mean. */
export function stallWaits(share: number, wakes: number): CpuWait[] {
  if (!(share > 0)) return [];
  return Array.from({ length: wakes }, () => ({ probability: share, meanMs: STALL_RESIDUAL_MS }));
}

/** Mean time the stalls add to a connection's hold at stall share `share`, ms. */
export function stallHoldMs(share: number): number {
  return share > 0 ? STALL_WAKES_PER_HOLD * share * STALL_RESIDUAL_MS : 0;
}
