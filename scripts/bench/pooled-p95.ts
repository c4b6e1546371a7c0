import { percentileSorted } from '../../core/percentile.ts';
import { seededRandom } from '../../core/seeded-random.ts';
import type { DurationSample } from './settled-p95.ts';

// A level's measured p95 per endpoint over the pooled samples of its replicates' measured windows, and
// how far chance alone could move it. bench:knee judged the median of the replicates' own p95s; with
// two replicates that is their mean, and launch-mix's REST endpoints rest on ~380 requests a run (at
// 0.8K on 2026-12-01 the two replicates' p95s were 6.45 and 8.41 ms). Pooling uses every sample once.
// The interval is a moving-block bootstrap over time: near the knee the slow requests come in episodes
// of seconds (the rig's congested state), so requests a second apart are not independent draws and an
// i.i.d. bootstrap would claim a precision the window does not have. Each resample draws, per replicate,
// as many whole blocks of `blockSeconds` as the window has, with replacement, from that replicate.

/** A level's pooled p95 of one endpoint, its bootstrap interval and how many samples it rests on. */
export interface PooledP95 {
  p95: number;
  low: number;
  high: number;
  samples: number;
}

/** How the interval is computed. */
export interface PooledP95Options {
  /** Length of a bootstrap block, seconds of the window. */
  blockSeconds: number;
  resamples: number;
  /** Two-sided confidence of the interval, e.g. 0.9. */
  confidence: number;
  seed: number;
}

/** The options bench:knee uses: 10 s blocks, 400 resamples, a 90 % interval. */
export const KNEE_POOLED_P95: PooledP95Options = {
  blockSeconds: 10,
  resamples: 400,
  confidence: 0.9,
  seed: 12,
};

/** The samples of one replicate of one endpoint, grouped into blocks by time. */
function blocksOf(samples: readonly DurationSample[], endpoint: string, blockMs: number): number[][] {
  const blocks = new Map<number, number[]>();
  for (const s of samples) {
    if (s.endpoint !== endpoint) continue;
    const b = Math.floor(s.t / blockMs);
    const xs = blocks.get(b) ?? [];
    xs.push(s.ms);
    blocks.set(b, xs);
  }
  return [...blocks.values()];
}

const p95Of = (xs: number[]): number => percentileSorted(Float64Array.from(xs).sort(), 0.95);

/**
 * p95 per endpoint over the pooled samples of `replicates` (each one run's window, pure), with a
 * moving-block bootstrap interval (see above). Endpoints with no sample in any replicate are absent.
 */
export function pooledP95(
  replicates: readonly (readonly DurationSample[])[],
  options: PooledP95Options = KNEE_POOLED_P95,
): Record<string, PooledP95> {
  const endpoints = [...new Set(replicates.flatMap((r) => r.map((s) => s.endpoint)))].sort();
  const blockMs = options.blockSeconds * 1000;
  const out: Record<string, PooledP95> = {};
  for (const endpoint of endpoints) {
    const perReplicate = replicates.map((r) => blocksOf(r, endpoint, blockMs)).filter((b) => b.length > 0);
    const all = perReplicate.flat(2);
    const random = seededRandom(options.seed);
    const draws = new Float64Array(options.resamples);
    for (let i = 0; i < options.resamples; i++) {
      const resample: number[] = [];
      for (const blocks of perReplicate)
        for (let j = 0; j < blocks.length; j++) {
          for (const x of blocks[Math.floor(random() * blocks.length)]!) resample.push(x);
        }
      draws[i] = p95Of(resample);
    }
    draws.sort();
    const tail = (1 - options.confidence) / 2;
    out[endpoint] = {
      p95: p95Of(all),
      low: percentileSorted(draws, tail),
      high: percentileSorted(draws, 1 - tail),
      samples: all.length,
    };
  }
  return out;
}
