import { type CpuWait, processorSharingWait } from './cpu.ts';
import type { Queue } from './queueing.ts';
import { queue } from './queueing.ts';
import { type ChainLoad, chainCpuWait, meanStretch, TARGET_PROCESS } from './rig-chains.ts';

// The host's cores as the target's one JavaScript thread competes for them (rig only; issue 12).
//
// The target's CPU runs on its event loop: one thread, whose turns never compete with each other for a
// core (they queue on the loop, event-loop.ts). So when a turn waits for a core, it waits behind the
// other work only: PostgreSQL's backends, k6's goroutines, other processes. Counting the target's own
// CPU among its competitors (session 7: the loop's turns stretched by the whole host's stretch) made
// the loop look saturated where it was not: at 1.1 K of full sync on the 2-core rig (bench:knee
// 2026-12-01 20:08) the host was 78 % busy, the loop's thread 0.45 of a core, and the model had the loop
// saturated (0.49 × a stretch of ~2.5); the measured run carried its load with p95s a half to a third of
// the prediction, and saturated only at 1.3 K. The thread's view: the chains without the target's part
// of their CPU and the load outside them without the target's fixed part (chain model), or processor
// sharing at the host's load less the target's (M/M/c).

/** The host as the target's thread sees it: under chains (rig-chains.ts) or processor sharing. */
export type ThreadHost = { kind: 'chains'; chains: ChainLoad } | { kind: 'ps'; cpu: Queue };

/**
 * The chain load without the thread's own work: `ownChainCores` of the chains' CPU (the target's CPU
 * for the sync requests) and `ownBackgroundCores` outside them (its fixed part, its CPU for other
 * requests). The chains' solved runnable stretch is kept: the other chains' non-target work waits as long.
 */
export function chainsWithoutThread(
  load: ChainLoad,
  ownChainCores: number,
  ownBackgroundCores: number,
): ThreadHost {
  return {
    kind: 'chains',
    chains: {
      ...load,
      chainCores: Math.max(0, load.chainCores - ownChainCores),
      backgroundCores: Math.max(0, load.backgroundCores - ownBackgroundCores),
      // The thread's own process leaves the capped ones (its part of the chains is taken out above).
      ...(load.processes ? { processes: load.processes.filter((p) => p.name !== TARGET_PROCESS) } : {}),
    },
  };
}

/**
 * Processor sharing on `cores` at `hostCores` busy less the thread's own `ownCores` (held just below
 * saturation when a measured load reaches every core, as calibrate-cpu.ts does).
 */
export function processorSharingWithoutThread(
  hostCores: number,
  ownCores: number,
  cores: number,
): ThreadHost {
  const c = Math.max(1, Math.round(cores));
  const others = Math.min(Math.max(0, hostCores - ownCores), c * 0.98);
  return { kind: 'ps', cpu: queue(c, 1, others * 1000, 1) };
}

/** Wall time per CPU time of the thread's work (>= 1): E[max(1, K/c)] under chains, 1 + C/(c − A) under PS. */
export function threadStretch(host: ThreadHost): number {
  if (host.kind === 'chains') return meanStretch(host.chains);
  const q = host.cpu;
  return q.saturated ? Number.POSITIVE_INFINITY : 1 + q.probabilityOfWaiting / (q.servers - q.offeredLoad);
}

/** The wait for a core of `cpuMs` of the thread's CPU (null: none). */
export function threadCpuWait(host: ThreadHost, cpuMs: number): CpuWait | null {
  return host.kind === 'chains' ? chainCpuWait(host.chains, cpuMs) : processorSharingWait(host.cpu, cpuMs);
}
