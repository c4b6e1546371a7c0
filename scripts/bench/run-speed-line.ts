import type { LevelAtRunSpeeds } from '../../simulator/index.ts';

/**
 * bench:knee's line on a level predicted with each replicate at its own CPU speed and pooled
 * (simulator/pooled-prediction.ts): the replicates' scales, then each endpoint's pooled p95 predicted
 * beside the measured pooled p95, with the error.
 */
export function runSpeedLine(
  at: LevelAtRunSpeeds,
  measured: Record<string, number | null>,
  label: string,
): string {
  const endpoints = Object.keys(at.p95Ms)
    .filter((e) => e !== 'healthz')
    .sort();
  const parts = endpoints.map((e) => {
    const p = at.p95Ms[e];
    const m = measured[e];
    if (p === null || p === undefined) return `${e} unbounded`;
    const err =
      typeof m === 'number' && m > 0 ? ` (${p >= m ? '+' : ''}${(((p - m) / m) * 100).toFixed(1)}%)` : '';
    return `${e} ${p.toFixed(2)}${err}`;
  });
  const scales = at.scales.map((s) => `×${s.toFixed(3)}`).join(' ');
  const own = endpoints.map(
    (e) =>
      `${e} ${at.replicates.map((r) => (typeof r[e] === 'number' ? r[e]!.toFixed(2) : 'unbounded')).join(' / ')}`,
  );
  return `  ${label} (CPU scale ${scales}): ${parts.join(', ')}; each replicate's own: ${own.join(', ')}`;
}
