import { percentile } from '../../core/percentile.ts';
import { P95_TOLERANCE } from './knee-judge.ts';
import type { DurationSample } from './settled-p95.ts';

// How far a level's replicates lie from each other: each replicate's own p95 per endpoint, printed beside
// the verdict (never part of it). Two runs of one level, back to back on one machine with one code, are
// the best prediction of each other any model could make; when their p95s differ by more than the
// goal's 25 %, one taken as the prediction of the other fails the goal, and the level's verdict says as
// much about the machine as about the model. Pure.

/** One endpoint's p95 in each replicate, and the larger over the smaller, less one. */
export interface ReplicateSpread {
  endpoint: string;
  /** Each replicate's p95 over its own measured window, ms (replicates without a sample left out). */
  p95s: number[];
  /** max / min − 1 of `p95s` (0 for fewer than two). */
  spread: number;
}

/** Each endpoint's p95 per replicate window and their spread, endpoints sorted; `skip` left out. */
export function replicateSpreads(
  replicates: readonly (readonly DurationSample[])[],
  skip: readonly string[] = ['healthz'],
): ReplicateSpread[] {
  const endpoints = [...new Set(replicates.flatMap((r) => r.map((s) => s.endpoint)))]
    .filter((e) => !skip.includes(e))
    .sort();
  return endpoints.map((endpoint) => {
    const p95s = replicates
      .map((r) => r.filter((s) => s.endpoint === endpoint).map((s) => s.ms))
      .filter((ms) => ms.length > 0)
      .map((ms) => percentile(ms, 0.95));
    const spread = p95s.length < 2 ? 0 : Math.max(...p95s) / Math.min(...p95s) - 1;
    return { endpoint, p95s, spread };
  });
}

/**
 * The spreads in one line: each endpoint's replicate p95s and their spread, marked where one replicate
 * taken as the prediction of the other would fail the goal.
 */
export function replicateSpreadLine(spreads: readonly ReplicateSpread[]): string {
  if (spreads.every((s) => s.p95s.length < 2))
    return '  replicates: fewer than two with samples (no repeatability to show)';
  const each = spreads
    .filter((s) => s.p95s.length >= 2)
    .map(
      (s) =>
        `${s.endpoint} ${s.p95s.map((x) => x.toFixed(2)).join(' / ')} ms (${(s.spread * 100).toFixed(0)} %${s.spread > P95_TOLERANCE ? ', beyond the goal' : ''})`,
    )
    .join(', ');
  const beyond = spreads.filter((s) => s.spread > P95_TOLERANCE).length;
  return `  replicates' own p95s (the measurement's repeatability, not the verdict): ${each}${beyond > 0 ? `; ${beyond} endpoint(s) where one replicate as the prediction of the other would fail the 25 % goal` : ''}`;
}
