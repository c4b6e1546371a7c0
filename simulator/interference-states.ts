import type { SeriesSample } from '../core/run-record.ts';

// The machine's interference during a run, second by second, as a few states. Pure.
//
// A shared VM's neighbours take its cores in episodes, not evenly: on 2026-12-03 (bench:knee, full
// sync, 6,229 users) one replicate had 0.4-0.5 of its 2 cores taken by something outside the target,
// the database and k6 (the host's busy cores less theirs: mostly time stolen by the hypervisor, counted
// busy in /proc/stat) for its first 14 s, with all 10 pooled connections in use and p50s of 25-40 ms,
// and 0.05-0.15 for the other 46 s, at p50s of 1-2 ms. Its mean (0.18 cores) is the only interference
// the model is given (validate.ts runContext), and a p95 over the whole window is set by the episode.
// These states are what the window was made of: the seconds whose cores taken from outside (the
// stolen ones where recorded, outsideCoresOf) fall in one bin of
// INTERFERENCE_BIN_CORES, with their share of the requests. bench:knee prints them beside each level
// (machine-drift.ts episodeLine); predicting a run as the mixture of its states is docs/simulator.md's
// open question (session 19: it needs a model of a stolen core that the fit runs can calibrate).

/** Width of a bin of outside cores, cores: a tenth of a core. Assumption; range 0.05-0.2. */
export const INTERFERENCE_BIN_CORES = 0.1;

/** Seconds of a run with about the same cores taken from outside the system under test. */
export interface InterferenceState {
  /** Mean cores in use outside the target, the database and k6 over these seconds (outsideCoresOf). */
  outsideCores: number;
  /** Share of the run's requests sent in these seconds (of its seconds when the series has no counts). */
  share: number;
  /** How many seconds of the window it holds. */
  seconds: number;
}

/**
 * Cores taken from the system under test in one second: the hypervisor's stolen time where the series
 * recorded it (`cpu.steal`, since 2026-12-03), else the host's busy cores less the target's, the
 * database's and k6's (the runner's and the stolen ones included, as in calibrate-cpu.ts otherCoresOf).
 * Stolen time is the direct figure: a process's CPU as /proc/<pid>/stat gives it can include time its
 * vCPU was stolen while it ran (session 19's episodes: 0.42-0.67 cores stolen in seconds where the host
 * less the three read 0.30-0.50), so the difference reads the episodes low. Null without a CPU sample.
 */
export function outsideCoresOf(sample: SeriesSample): number | null {
  const c = sample.cpu;
  if (!c) return null;
  if (c.steal !== undefined) return Math.max(0, c.steal / 100);
  if (c.target === null || c.database === null || c.loadGenerator === null) return null;
  const busy = c.host - c.target - c.database - c.loadGenerator;
  return Number.isFinite(busy) ? Math.max(0, busy / 100) : null;
}

/**
 * A run's seconds grouped by their outside cores (bins of INTERFERENCE_BIN_CORES from 0), lowest first,
 * with each group's share of the requests. Null when no second has its CPU sampled.
 */
export function interferenceStates(series: readonly SeriesSample[]): InterferenceState[] | null {
  const bins = new Map<number, { cores: number; requests: number; seconds: number }>();
  let requests = 0;
  let seconds = 0;
  for (const s of series) {
    const outside = outsideCoresOf(s);
    if (outside === null) continue;
    const bin = Math.floor(outside / INTERFERENCE_BIN_CORES);
    const b = bins.get(bin) ?? { cores: 0, requests: 0, seconds: 0 };
    b.cores += outside;
    b.requests += s.requests;
    b.seconds += 1;
    bins.set(bin, b);
    requests += s.requests;
    seconds += 1;
  }
  if (seconds === 0) return null;
  return [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, b]) => ({
      outsideCores: b.cores / b.seconds,
      share: requests > 0 ? b.requests / requests : b.seconds / seconds,
      seconds: b.seconds,
    }));
}
