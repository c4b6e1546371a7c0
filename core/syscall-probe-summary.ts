import type { SyscallProbe } from './run-record.ts';

/** Share of the dearest samples left out of the probe's mean: the runner's other threads (GC, pg) inflate a few. */
export const PROBE_TRIM_SHARE = 0.1;

/**
 * A run's syscall probe from its samples (µs of CPU per call): the mean with the dearest
 * PROBE_TRIM_SHARE left out (a sample that shared the runner's CPU time with its other threads only
 * ever reads high); null without samples.
 */
export function trimmedMeanOfProbe(samples: number[], readsPerSample: number): SyscallProbe | null {
  const ok = samples.filter((s) => Number.isFinite(s) && s > 0).sort((a, b) => a - b);
  if (ok.length === 0) return null;
  const kept = ok.slice(0, Math.max(1, Math.ceil(ok.length * (1 - PROBE_TRIM_SHARE))));
  return {
    usPerCall: kept.reduce((s, x) => s + x, 0) / kept.length,
    samples: ok.length,
    method: `CPU time of ${readsPerSample} one-byte reads of /dev/zero in the runner, once a second; mean of the cheapest ${Math.round((1 - PROBE_TRIM_SHARE) * 100)} % of ${ok.length} samples`,
  };
}
