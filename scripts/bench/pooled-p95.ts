import { percentileOfCounts, percentileSorted } from '../../core/percentile.ts';
import { seededRandom } from '../../core/seeded-random.ts';
import type { DurationSample } from './settled-p95.ts';

// A level's measured p95 per endpoint over the pooled samples of its replicates' measured windows, and
// how far chance alone could move it. bench:knee judged the median of the replicates' own p95s; with
// two replicates that is their mean, and launch-mix's REST endpoints rest on ~380 requests a run (at
// 0.8K on 2026-12-01 the two replicates' p95s were 6.45 and 8.41 ms). Pooling uses every sample once.
// The interval is a moving-block bootstrap over time: near the knee the slow requests come in episodes
// of seconds (the rig's congested state), so requests a second apart are not independent draws and an
// i.i.d. bootstrap would claim a precision the window does not have. Each resample is two-stage: it
// draws as many replicates as there are, with replacement, then from each drawn replicate as many whole
// blocks of `blockSeconds` as its window has, with replacement. Near the knee the replicates of one
// level are the larger noise (2026-12-06, full sync at 0.9K: 73.4 and 19.8 ms; the block draws within
// each left the pooled 61.4 ms an interval of 48-70 ms, so the level kept two replicates), and drawing
// the replicates puts that spread in the interval. With few replicates it is still narrow rather than
// wide (a bootstrap over R units sees (R − 1)/R of their variance).

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

/** One endpoint's samples sorted once, each with the (replicate, block) it came from. */
interface SortedSamples {
  ms: Float64Array;
  /** Index into the block list of each sorted sample. */
  block: Uint32Array;
  /** Blocks per replicate: [first block index, block count]. */
  replicates: Array<[number, number]>;
}

function sortedSamplesOf(
  replicates: readonly (readonly DurationSample[])[],
  endpoint: string,
  blockMs: number,
): SortedSamples {
  const all: Array<{ ms: number; block: number }> = [];
  const spans: Array<[number, number]> = [];
  let blocks = 0;
  for (const r of replicates) {
    const ids = new Map<number, number>();
    for (const s of r) {
      if (s.endpoint !== endpoint) continue;
      const key = Math.floor(s.t / blockMs);
      const id = ids.get(key) ?? blocks + ids.size;
      ids.set(key, id);
      all.push({ ms: s.ms, block: id });
    }
    if (ids.size > 0) spans.push([blocks, ids.size]);
    blocks += ids.size;
  }
  all.sort((a, b) => a.ms - b.ms);
  return {
    ms: Float64Array.from(all, (x) => x.ms),
    block: Uint32Array.from(all, (x) => x.block),
    replicates: spans,
  };
}

/**
 * p95 per endpoint over the pooled samples of `replicates` (each one run's window, pure), with a
 * two-stage bootstrap interval, replicates then moving blocks (see above). Endpoints with no sample in any replicate are absent.
 */
export function pooledP95(
  replicates: readonly (readonly DurationSample[])[],
  options: PooledP95Options = KNEE_POOLED_P95,
): Record<string, PooledP95> {
  const endpoints = [...new Set(replicates.flatMap((r) => r.map((s) => s.endpoint)))].sort();
  const blockMs = options.blockSeconds * 1000;
  const out: Record<string, PooledP95> = {};
  for (const endpoint of endpoints) {
    const sorted = sortedSamplesOf(replicates, endpoint, blockMs);
    const blockCount = sorted.replicates.reduce((n, [, k]) => n + k, 0);
    const drawn = new Uint32Array(blockCount);
    const counts = new Uint32Array(sorted.ms.length);
    const random = seededRandom(options.seed);
    const draws = new Float64Array(options.resamples);
    for (let i = 0; i < options.resamples; i++) {
      // The replicates drawn with replacement, then per drawn replicate as many of its blocks as it
      // has; a sample counts as often as its block was drawn, and the resample's p95 is read off the
      // sorted samples.
      drawn.fill(0);
      const units = sorted.replicates.length;
      for (let r = 0; r < units; r++) {
        const [first, k] = sorted.replicates[Math.floor(random() * units)]!;
        for (let j = 0; j < k; j++) drawn[first + Math.floor(random() * k)]! += 1;
      }
      let total = 0;
      for (let j = 0; j < counts.length; j++) {
        counts[j] = drawn[sorted.block[j]!]!;
        total += counts[j]!;
      }
      draws[i] = percentileOfCounts(sorted.ms, counts, 0.95, total);
    }
    draws.sort();
    const tail = (1 - options.confidence) / 2;
    out[endpoint] = {
      p95: percentileSorted(sorted.ms, 0.95),
      low: percentileSorted(draws, tail),
      high: percentileSorted(draws, 1 - tail),
      samples: sorted.ms.length,
    };
  }
  return out;
}

/**
 * Whether a measured p95's interval reaches beyond ±`tolerance` of the p95 itself: the measurement
 * alone cannot then tell a prediction within that tolerance from one outside it.
 */
export function widerThanTolerance(
  interval: { low: number; high: number },
  p95: number,
  tolerance: number,
): boolean {
  return interval.low < p95 * (1 - tolerance) || interval.high > p95 * (1 + tolerance);
}

/**
 * The endpoints (sorted; `skip` left out) whose pooled p95's interval is wider than ±`tolerance` of
 * itself. It reads the measurement alone, never a prediction, so a bench that adds replicates while it
 * is not empty cannot lean toward any verdict.
 */
export function undecidedEndpoints(
  pooled: Record<string, PooledP95>,
  tolerance: number,
  skip: readonly string[] = ['healthz'],
): string[] {
  return Object.entries(pooled)
    .filter(([e, p]) => !skip.includes(e) && widerThanTolerance(p, p.p95, tolerance))
    .map(([e]) => e)
    .sort();
}
