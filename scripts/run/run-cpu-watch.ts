import type { RunCpu } from '../../core/run-record.ts';
import type { K6Process } from '../k6/run-k6.ts';
import { startCpuSampler } from './cpu-sampler.ts';
import {
  type CpuGroup,
  type HostCpuSummary,
  localPostgresServerPid,
  runCpuOf,
  startHostCpuSampler,
} from './host-cpu-sampler.ts';
import { startSyscallProbe } from './syscall-probe.ts';

/** Where the CPU of a run went, once it stopped. */
export interface RunCpuResult {
  summary: HostCpuSummary | null;
  /** The run record's `cpu` (null without /proc). */
  runCpu: RunCpu | null;
  /** The load generator's CPU, percent of one core: from /proc, else from pidusage. */
  loadGenerator: { mean: number; max: number };
}

/** Follows the CPU of a run's process groups; {@link startRunCpuWatch} starts it. */
export interface RunCpuWatch {
  /** Follows the k6 processes as the load generator. */
  watchLoadGenerator(processes: K6Process[]): void;
  stop(): RunCpuResult;
}

/**
 * Where the CPU goes (host, target, database, k6, this runner) and what a system call cost meanwhile
 * (syscall-probe.ts): the simulator's rig model reads both.
 * Without /proc (not Linux) only k6's own CPU is measured, with pidusage.
 */
export async function startRunCpuWatch(
  cores: number,
  targetPid: number | undefined,
  databaseUrl: string | undefined,
): Promise<RunCpuWatch> {
  const hostCpu = startHostCpuSampler(cores);
  const probe = hostCpu.available ? startSyscallProbe() : null;
  const k6Cpu = hostCpu.available ? null : startCpuSampler();
  const processes: Partial<Record<CpuGroup, string>> = { runner: `runner pid ${process.pid}` };
  hostCpu.watch('runner', process.pid, false);
  if (targetPid) {
    hostCpu.watch('target', targetPid);
    // Its main thread is its event loop: its CPU and its wait for a core (the loop's wall share).
    hostCpu.watchThread(targetPid);
    processes.target = `target pid ${targetPid} and its children`;
  }
  const pgServer = databaseUrl ? await localPostgresServerPid(databaseUrl) : null;
  if (pgServer !== null) {
    hostCpu.watch('database', pgServer);
    processes.database = `PostgreSQL server pid ${pgServer} and its children (all its databases)`;
  }
  return {
    watchLoadGenerator(k6: K6Process[]) {
      for (const p of k6) {
        k6Cpu?.watch(p.pid);
        hostCpu.watch('loadGenerator', p.pid);
      }
      processes.loadGenerator = `${k6.length} k6 process(es) and their children`;
    },
    stop() {
      const summary = hostCpu.stop();
      const syscallProbe = probe?.stop() ?? null;
      const runCpu = summary
        ? { ...runCpuOf(summary, processes), ...(syscallProbe ? { syscallProbe } : {}) }
        : null;
      const fromHost = runCpu?.loadGenerator;
      const loadGenerator = fromHost
        ? { mean: fromHost.cpuPercentMean, max: fromHost.cpuPercentMax }
        : (k6Cpu?.stop() ?? { mean: 0, max: 0 });
      return { summary, runCpu, loadGenerator };
    },
  };
}
