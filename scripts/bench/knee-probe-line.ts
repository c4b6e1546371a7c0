import { median } from 'simple-statistics';
import type { RunRecord } from '../../core/run-record.ts';
import { type Calibration, coresAt, runRequestsPerSecond } from '../../simulator/index.ts';
import { processCpuPerIteration } from './busy-core-cpu.ts';

// What the knee probe (bench:knee's run at the knee K₀ predicted from the fit levels) measured against
// what the fit levels' CPU-at-load curves carried there, for the target and k6, and where K went once
// the probe joined those curves (simulator/calibrate-cpu.ts). The target's and k6's CPU per request
// keeps falling past the fit levels (session 21: k6 12.1 ms a sync carried to 1.1K, 10.65 measured):
// read between measured loads, not carried past them. Pure.

/** The rig processes whose curves the probe joins: the run record's name and how the line prints it. */
const CURVED = [
  ['app', 'target'],
  ['loadGenerator', 'k6'],
] as const;

/** A curve's CPU per iteration at a run's load, ms (null without a CPU calibration). */
function curveMsPerIteration(
  cal: Calibration,
  which: 'app' | 'loadGenerator',
  run: RunRecord,
): number | null {
  const fit = cal.cpu?.[which];
  const rate = run.iterations.rate;
  if (!fit || rate <= 0) return null;
  return (coresAt(fit, runRequestsPerSecond(run)) * 1000) / rate;
}

/**
 * One line: the probe's users and each curved process's CPU per iteration measured (median over the
 * probe's replicates), with what the fit's curve (`before`) and the probed one (`after`) give at the
 * probe's load; then K before and after. Says so when there was no probe.
 */
export function kneeProbeLine(
  probes: readonly RunRecord[],
  before: Calibration,
  after: Calibration,
  kneeBefore: number | null,
  kneeAfter: number | null,
): string {
  if (probes.length === 0) return `  no knee probe: K ${kneeAfter ?? 'none'} is the fit levels' alone`;
  const med = (xs: (number | null)[]): number | null => {
    const ok = xs.filter((x): x is number => x !== null);
    return ok.length === 0 ? null : median(ok);
  };
  const ms = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
  const each = CURVED.map(([key, name]) => {
    const measured = med(probes.map((r) => processCpuPerIteration(r)[name] ?? null));
    const fit = med(probes.map((r) => curveMsPerIteration(before, key, r)));
    const probed = med(probes.map((r) => curveMsPerIteration(after, key, r)));
    return `${name} ${ms(measured)} ms (the fit's curve ${ms(fit)}, with the probe ${ms(probed)})`;
  });
  const users = [...new Set(probes.map((r) => r.users))].join(', ');
  const speed = after.cpu?.kneeProbeSpeedRatio;
  const at =
    speed === undefined
      ? ''
      : ` (the probed curve at the probes' machine speed, ×${speed.toFixed(2)} the fit's)`;
  return `  knee probe at ${users} users (${probes.length} run(s)), CPU per iteration: ${each.join(', ')}${at}; K ${kneeBefore ?? 'none'} from the fit levels, ${kneeAfter ?? 'none'} with the probe`;
}
