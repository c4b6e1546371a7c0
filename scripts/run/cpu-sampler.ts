import pidusage from 'pidusage';

/** CPU use of the load generator's processes, percent of one core, sampled once a second. */
export interface CpuSampler {
  /** Adds a process to sample (a k6 segment). */
  watch(pid: number): void;
  /** Stops and returns mean and max of the per-second sums over all watched processes. */
  stop(): { mean: number; max: number; samples: number[] };
}

/** Starts sampling the CPU of watched processes every `intervalMs` with pidusage. */
export function startCpuSampler(intervalMs = 1000): CpuSampler {
  const pids = new Set<number>();
  const samples: number[] = [];
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || pids.size === 0) return;
    busy = true;
    try {
      const stats = await pidusage([...pids]);
      samples.push(Object.values(stats).reduce((sum, s) => sum + (s?.cpu ?? 0), 0));
    } catch {
      // a process that just ended: this second is not sampled
    } finally {
      busy = false;
    }
  }, intervalMs);
  return {
    watch(pid) {
      if (pid > 0) pids.add(pid);
    },
    stop() {
      clearInterval(timer);
      pidusage.clear();
      const mean = samples.length === 0 ? 0 : samples.reduce((a, b) => a + b, 0) / samples.length;
      return { mean, max: samples.length === 0 ? 0 : Math.max(...samples), samples };
    },
  };
}
