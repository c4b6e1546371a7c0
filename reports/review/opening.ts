import type { Uncertainty } from '../../simulator/index.ts';
import type { ChartSpec } from '../charts/chart-theme.ts';
import { kneeBandChart } from '../charts/knee-band-chart.ts';
import { whatIfChart } from '../charts/what-if-chart.ts';
import { usersLabel } from './format.ts';
import type { MeasuredRun } from './review-types.ts';

// What the review opens with, read first by eye: the load (review.load), the users each policy
// carries (a P10–P90 band), whether the model is calibrated, then the verdict table.

/**
 * Whether the model is calibrated, from which runs, up to how many users: "calibrated from 3 runs
 * (delta-sync 1,000 fixed, ...), up to 1,000 users" or "uncalibrated: defaults".
 */
export function calibrationSentence(
  calibration: { calibrated: boolean; runs: readonly string[] },
  measured: readonly MeasuredRun[],
): string {
  if (!calibration.calibrated || calibration.runs.length === 0)
    return 'Model uncalibrated: defaults (every service time an assumption with its source; see the assumptions).';
  const used = measured.filter((m) => calibration.runs.includes(m.id));
  const what = used.map((m) => `${m.scenario} ${usersLabel(m.users)} ${m.policy}`);
  const upTo = used.length > 0 ? Math.max(...used.map((m) => m.users)) : null;
  return (
    `Model calibrated from ${calibration.runs.length} run${calibration.runs.length === 1 ? '' : 's'}` +
    (what.length > 0 ? ` (${what.join(', ')})` : ` (${calibration.runs.join(', ')})`) +
    (upTo !== null
      ? `, measured up to ${upTo.toLocaleString('en-US')} users; beyond that it extrapolates.`
      : '.')
  );
}

/** The opening picture (knee band) and the what-if spec, from the uncertainty analysis. */
export function openingCharts(
  uncertainty: Uncertainty | null,
  scales: readonly number[],
): { kneeBand: ChartSpec | null; whatIf: ChartSpec | null } {
  if (!uncertainty) return { kneeBand: null, whatIf: null };
  return {
    kneeBand: kneeBandChart(uncertainty.monteCarlo.knees, scales, uncertainty.monteCarlo.draws),
    whatIf: whatIfChart(uncertainty.whatIf),
  };
}
