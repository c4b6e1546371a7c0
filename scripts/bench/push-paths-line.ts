import { median } from 'simple-statistics';
import type { RunRecord } from '../../core/run-record.ts';
import { PUSH_PATHS, pushRowShareOf } from '../../simulator/index.ts';

// The push's two paths at a bench level (simulator/push-paths.ts): the share of pushes that carried a
// row against the fit's (the model's mixture weight), and each path's p95 (median over the level's
// replicates). With about 5 % of pushes on the slow path the endpoint's p95 sits between the two
// paths' modes, so a level's push p95 moves with its share of rows; this line shows by how much.
// Printed beside the verdict, never part of it. Pure.

/** One line: the level's share of pushes with a row against the fit's, and each path's p95. */
export function pushPathsLine(level: readonly RunRecord[], fitShare: number | null): string {
  const measured = pushRowShareOf([...level]);
  if (!measured) return '  push paths: not recorded (records before the batch tag)';
  const p95 = (key: string): string => {
    const xs = level.flatMap((r) => {
      const s = r.batches?.[key];
      return s && s.count > 0 ? [s.p95] : [];
    });
    return xs.length > 0 ? `${median(xs).toFixed(2)} ms` : 'none';
  };
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const fit = fitShare === null ? '' : ` (the fit's ${pct(fitShare)})`;
  return `  push paths (beside the verdict): ${pct(measured.share)} with a row${fit}; p95 empty ${p95(PUSH_PATHS.empty)}, with a row ${p95(PUSH_PATHS.rows)} (median of the replicates')`;
}
