import { median } from 'simple-statistics';
import type { RunRecord } from '../../core/run-record.ts';
import { PUSH_PATHS, pushRowShareOf } from '../../simulator/index.ts';

// The push's two paths at a bench level (simulator/push-paths.ts): the share of pushes that carried a
// row against the model's mixture weight (the probability the scenario sends one with), and each
// path's p95, and the empty path's p99 (where the mixture reads it), each the median over the level's
// replicates. With about 5 % of pushes on the slow path the endpoint's p95 sits between the two
// paths' modes, so a level's push p95 moves with its share of rows; this line shows by how much.
// Printed beside the verdict, never part of it. Pure.

/** One line: the level's share of pushes with a row against the model's, each path's p95, the empty one's p99. */
export function pushPathsLine(level: readonly RunRecord[], modelShare: number | null): string {
  const measured = pushRowShareOf([...level]);
  if (!measured) return '  push paths: not recorded (records before the batch tag)';
  const quantile = (key: string, q: 'p95' | 'p99'): string => {
    const xs = level.flatMap((r) => {
      const s = r.batches?.[key];
      return s && s.count > 0 ? [s[q]] : [];
    });
    return xs.length > 0 ? `${median(xs).toFixed(2)} ms` : 'none';
  };
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const model = modelShare === null ? '' : ` (the model's ${pct(modelShare)})`;
  return `  push paths (beside the verdict): ${pct(measured.share)} with a row${model}; p95 empty ${quantile(PUSH_PATHS.empty, 'p95')} (p99 ${quantile(PUSH_PATHS.empty, 'p99')}), with a row ${quantile(PUSH_PATHS.rows, 'p95')} (median of the replicates')`;
}
