import type { FlipPoint, Uncertainty } from '../../simulator/index.ts';
import type { ChartSpec } from '../charts/chart-theme.ts';
import { kneeBandChart } from '../charts/knee-band-chart.ts';
import { whatIfChart } from '../charts/what-if-chart.ts';
import { num, usersLabel } from './format.ts';
import type { MeasuredRun } from './review-types.ts';

// What the review opens with, read first by eye: the load (review.load), the users each policy
// carries (a P10–P90 band), whether the model is calibrated, then the verdict table.

/** The dial that carries the calibration's own noise (simulator/assumptions.ts serviceDemandScale). */
const CALIBRATION_NOISE_DIAL = 'serviceDemandScale';

/**
 * The verdicts the calibration's own noise can turn, from the flip points along its dial: "within its
 * noise (serviceDemandScale 0.8-1.25 ...) 100k current NO-GO turns: GO below 0.812", or that none does;
 * empty without flip points of that dial (no sensitivity analysis).
 */
export function calibrationNoiseClause(flipPoints: readonly FlipPoint[]): string {
  const along = flipPoints.filter((f) => f.dial === CALIBRATION_NOISE_DIAL);
  if (along.length === 0) return '';
  const { low, high } = along[0]!;
  const turning = along
    .filter((f) => f.flips.length > 0)
    .map((f) => `${usersLabel(f.users)} ${f.policy} ${f.baseVerdict} turns (${f.summary})`);
  return ` Its service demands move by about a fifth between calibrations on this machine (${CALIBRATION_NOISE_DIAL} ${num(low)}-${num(high)} × the measured, in the assumptions): ${turning.length > 0 ? `within that, ${turning.join('; ')}` : 'no verdict turns within that'}.`;
}

/**
 * Whether the model is calibrated, from which runs, up to how many users: "calibrated from 3 runs
 * (delta-sync 1,000 fixed, ...), up to 1,000 users" or "uncalibrated: defaults"; with the flip points,
 * which verdicts the calibration's own noise can turn (calibrationNoiseClause).
 */
export function calibrationSentence(
  calibration: { calibrated: boolean; runs: readonly string[] },
  measured: readonly MeasuredRun[],
  flipPoints: readonly FlipPoint[] = [],
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
      : '.') +
    calibrationNoiseClause(flipPoints)
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
