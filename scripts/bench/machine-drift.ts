import { percentile } from '../../core/percentile.ts';
import type { SeriesSample } from '../../core/run-record.ts';
import { type InterferenceState, outsideCoresOf } from '../../simulator/index.ts';
import type { DurationSample } from './settled-p95.ts';

// Whether the machine a bench's levels ran on was the machine its fit ran on. On a shared VM the
// hypervisor's stolen time moves by a third of the cores within an hour (bench:knee 2026-12-02: fit runs
// 0.11-0.69 cores stolen, the knee levels 0.00-0.11 half an hour later), and every REST p95 moves with
// it: a level judged on another machine than the fit's says more about the machine than the model.
// Printed beside the verdict, never part of it. Pure.

/** Stolen cores between fit and level beyond which the bench says the machine moved: 5 % of 2 cores. */
export const DRIFT_CORES = 0.1;

/** One level's stolen cores against the fit's, in one line; `drifted` when they differ by more than DRIFT_CORES. */
export function machineLine(
  levelStolen: readonly (number | null)[],
  fitStolen: number | null,
): { line: string; drifted: boolean } {
  const known = levelStolen.filter((x): x is number => x !== null);
  if (known.length === 0 || fitStolen === null)
    return { line: '  machine: stolen time not recorded (no drift check)', drifted: false };
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  const drifted = Math.abs(mean - fitStolen) > DRIFT_CORES;
  const each = known.map((x) => x.toFixed(2)).join(', ');
  return {
    line: `  machine: ${each} cores stolen by the hypervisor (the fit runs kept: ${fitStolen.toFixed(2)})${drifted ? `: the machine moved by more than ${DRIFT_CORES} cores since the fit, the p95s read another machine than the model's` : ''}`,
    drifted,
  };
}

/**
 * One level's syscall probes against the fit's (machine-speed.ts), in one line: what a system call cost
 * each replicate, as read and taken back to an idle host, beside the fit runs' (idle-host) figure, and
 * the ratio each replicate is predicted at.
 */
export function speedLine(
  levelProbes: readonly { probe: number | null; idle: number | null }[],
  fitProbe: number | null,
): string {
  const known = levelProbes.filter(
    (x): x is { probe: number; idle: number } => x.probe !== null && x.idle !== null,
  );
  if (known.length === 0 || fitProbe === null)
    return '  machine speed: syscall probe not recorded (predicted at the fit runs’ speed)';
  const each = known
    .map((x) => `${x.probe.toFixed(3)} µs (${x.idle.toFixed(3)} idle, ×${(x.idle / fitProbe).toFixed(2)})`)
    .join(', ');
  return `  machine speed: a system call cost ${each} against the fit runs' ${fitProbe.toFixed(3)} µs idle; each replicate is predicted at its own`;
}

/**
 * Cores taken outside the target, the database and k6 in one second from which the bench calls the
 * second an episode: on 2026-12-03 (full sync, 4,672-7,007 users) seconds at 0.3 or more had p95s of
 * 50-88 ms where the same runs' seconds under 0.15 had 4-17 ms. Assumption; range 0.2-0.4.
 */
export const EPISODE_CORES = 0.3;

/**
 * One level's interference, second by second (interference-states.ts), in one line: per replicate the
 * seconds and the share of its requests at EPISODE_CORES or more taken outside the system under test.
 * A mean stolen time (machineLine) hides episodes, and a window's p95 is set by them.
 */
export function episodeLine(levelStates: readonly (readonly InterferenceState[] | null)[]): string {
  const known = levelStates.filter((x): x is readonly InterferenceState[] => x !== null);
  if (known.length === 0) return '  episodes: the series has no CPU per second';
  const each = known.map((states) => {
    const hit = states.filter((s) => s.outsideCores >= EPISODE_CORES);
    const seconds = hit.reduce((sum, s) => sum + s.seconds, 0);
    const share = hit.reduce((sum, s) => sum + s.share, 0);
    const total = states.reduce((sum, s) => sum + s.seconds, 0);
    return `${seconds} of ${total} s (${(share * 100).toFixed(0)} % of the requests)`;
  });
  return `  episodes (${EPISODE_CORES} cores or more taken from the target, the database and k6 in a second: stolen, or the host less the three where steal was not recorded): ${each.join(', ')}`;
}

/** An endpoint's p95 over a level's requests of calm seconds and of episode seconds, ms (null: none). */
export interface CalmAndEpisodeP95 {
  calm: number | null;
  episode: number | null;
}

/**
 * Per endpoint, the p95 over the replicates' requests sent in seconds under EPISODE_CORES taken outside
 * the system under test and in seconds at it or over (each replicate's window with its own series; a
 * request whose second has no CPU sample is left out). Pure.
 */
export function calmAndEpisodeP95(
  windows: readonly (readonly DurationSample[])[],
  series: readonly (readonly SeriesSample[])[],
): Record<string, CalmAndEpisodeP95> {
  const parts: Record<string, { calm: number[]; episode: number[] }> = {};
  windows.forEach((window, i) => {
    const outside = new Map<number, number>();
    for (const s of series[i] ?? []) {
      const o = outsideCoresOf(s);
      if (o !== null) outside.set(s.t, o);
    }
    for (const r of window) {
      const o = outside.get(Math.floor(r.t / 1000));
      if (o === undefined) continue;
      const p = parts[r.endpoint] ?? { calm: [], episode: [] };
      parts[r.endpoint] = p;
      (o >= EPISODE_CORES ? p.episode : p.calm).push(r.ms);
    }
  });
  const p95 = (xs: number[]): number | null => (xs.length === 0 ? null : percentile(xs, 0.95));
  return Object.fromEntries(
    Object.entries(parts).map(([e, p]) => [e, { calm: p95(p.calm), episode: p95(p.episode) }]),
  );
}

/** The calm and episode p95s of a level's endpoints beside the model's, in one line. */
export function calmAndEpisodeLine(
  split: Record<string, CalmAndEpisodeP95>,
  predicted: Record<string, number | null>,
): string {
  const ms = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : x.toFixed(2));
  const each = Object.keys(split)
    .filter((e) => e in predicted)
    .sort()
    .map((e) => `${e} ${ms(split[e]!.calm)} / ${ms(split[e]!.episode)} (predicted ${ms(predicted[e])})`);
  return `  p95 in calm seconds / in episodes, ms (not the verdict): ${each.join(', ')}`;
}
