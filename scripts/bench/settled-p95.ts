import { join } from 'node:path';
import { percentile } from '../../core/percentile.ts';
import { type LoadedRun, RUN_FILES } from '../../core/run-record.ts';
import { readRawOutput } from '../k6/raw-output.ts';

// The p95 of each endpoint over a run's measured window without its first seconds, from the raw k6
// output (bench:knee prints it beside the verdict, never as the verdict). Session 7 measured why: each
// measured run then started a fresh k6 process after its warm-up, and its first 1-4 s were a start-up
// transient (at 0.8K the target worked at 63-71 % of a core for 4 s against ~45 % after, and those
// seconds alone set the window's p95). Since the warm-up and the window are one k6 run (the window
// starts W s after k6 started its load), the window has no such start and this figure is mostly
// redundant: it now measures whether the window's first seconds still differ from the rest (a check
// that the window is settled), read from the record's measuredFrom (the raw file holds the warm-up).

/** Samples of `http_req_duration` as (time ms since the window's start, endpoint, ms). */
export interface DurationSample {
  t: number;
  endpoint: string;
  ms: number;
}

/** p95 per endpoint over the samples at or after `settleSeconds` from the first one (pure). */
export function settledP95(
  samples: readonly DurationSample[],
  settleSeconds: number,
): Record<string, number> {
  const by = new Map<string, number[]>();
  for (const s of samples) {
    if (s.t < settleSeconds * 1000) continue;
    const xs = by.get(s.endpoint) ?? [];
    xs.push(s.ms);
    by.set(s.endpoint, xs);
  }
  return Object.fromEntries([...by].map(([e, xs]) => [e, percentile(xs, 0.95)]));
}

/**
 * The request durations of a raw k6 output file (gzipped or not), times from `originMs` (the measured
 * window's start: the record's measuredFrom) with the samples before it (the warm-up) left out; without
 * it (an older record, whose file starts with its window) times from the first sample. With `endMs`
 * (the window's end) the samples at or after it (k6's graceful stop) are left out too.
 */
export async function readDurations(
  file: string,
  originMs?: number,
  endMs = Number.POSITIVE_INFINITY,
): Promise<DurationSample[]> {
  const raw: Array<{ time: number; endpoint: string; ms: number }> = [];
  let first = Number.POSITIVE_INFINITY;
  for await (const line of readRawOutput(file)) {
    if (line.kind !== 'point' || line.point.metric !== 'http_req_duration') continue;
    const p = line.point;
    if ((originMs !== undefined && p.time < originMs) || p.time >= endMs) continue;
    first = Math.min(first, p.time);
    raw.push({ time: p.time, endpoint: p.tags.name ?? 'other', ms: p.value });
  }
  const origin = originMs ?? first;
  return raw.map((r) => ({ t: r.time - origin, endpoint: r.endpoint, ms: r.ms }));
}

/**
 * Each run's requests over its measured window (the warm-up and k6's graceful stop after the window's
 * `durationSeconds` left out), read once.
 */
export function measuredWindows(runs: readonly LoadedRun[]): Promise<DurationSample[][]> {
  return Promise.all(
    runs.map((r) => {
      const from = r.record.measuredFrom === undefined ? undefined : Date.parse(r.record.measuredFrom);
      const until = from === undefined ? undefined : from + r.record.durationSeconds * 1000;
      return readDurations(join(r.dir, RUN_FILES.rawK6), from, until);
    }),
  );
}
