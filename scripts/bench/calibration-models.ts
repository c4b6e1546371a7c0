import { loadPolicy } from '../../core/policy.ts';
import { loadProfile, type Profile } from '../../core/profile.ts';
import type { BaseLatencyShape, Calibration, CalibrationRun, HostWait } from '../../simulator/index.ts';
import { calibrate, simulate } from '../../simulator/index.ts';
import type { Level } from './calibration-compare.ts';
import { ENDPOINTS, levelP95, rel } from './calibration-compare.ts';

// The calibration bench's candidate models: where the CPU runs, the base latency's shape and the
// rig's host wait, each calibrated and cross-validated on the fit levels.

/** The policy every bench run uses. */
export const POLICY = 'current';

/** The profile every bench run uses (without messages: the scenario only syncs). */
export const PROFILE = 'ci-smoke';

/**
 * The profile as the scenario loads it: full-sync sends syncs only, so the prediction leaves out the
 * profile's /api/message traffic (which would add its statements and upstream calls to the model).
 */
export function scenarioProfile(): Profile {
  return { ...loadProfile(PROFILE), messagesPerUserPerMinute: 0 };
}

/** Where the predicted CPU runs: the rig's shared cores, or the database's cores alone. */
export type Placement = 'rig' | 'database cores only';

/**
 * One candidate model: where the CPU runs, the shape of the base latency against load, and (on the rig)
 * how a request waits for the host's cores.
 */
export interface Model {
  placement: Placement;
  shape: BaseLatencyShape;
  hostWait: HostWait;
}

/** The base-latency shapes tried. */
export const SHAPES: readonly BaseLatencyShape[] = ['fading', 'flat'];

/**
 * The rig's wait for its cores: syncs as chains on k6's schedule (rig-chains.ts; chosen in session 5,
 * before the runs that judge it) or independent requests (M/M/c processor sharing, sessions 2-4),
 * printed beside.
 */
export const HOST_WAITS: readonly HostWait[] = ['chains', 'processor-sharing'];

/** A candidate model's name as printed. */
export function modelName(m: Model): string {
  if (m.placement !== 'rig') return `${m.placement}, ${m.shape} base`;
  return `rig (${m.hostWait === 'chains' ? 'chains' : 'M/M/c processor sharing'}), ${m.shape} base`;
}

/** The calibration of a candidate model from runs. */
export function calibrateFor(runs: CalibrationRun[], m: Model): Calibration {
  return calibrate(runs, { baseLatency: m.shape, hostWait: m.hostWait });
}

/** simulate() input for a calibration under a placement (the rig's core count either way). */
export function inputFor(cal: Calibration, placement: Placement) {
  const cores = cal.cpu?.rigCores;
  return {
    profile: scenarioProfile(),
    policies: [loadPolicy(POLICY)],
    calibration: cal,
    ...(cores === undefined ? {} : { databaseCores: cores }),
    ...(placement === 'rig' && cores !== undefined ? { rig: { cores } } : {}),
  };
}

/** p95 of every endpoint predicted at `users` under a placement, by endpoint. */
export function predictedP95(
  cal: Calibration,
  placement: Placement,
  users: number,
): Map<string, number | null> {
  const p = simulate({ ...inputFor(cal, placement), users: [users] }).predictions[0]!;
  return new Map(p.endpoints.map((e) => [e.endpoint, e.p95Ms]));
}

/**
 * Leave-one-level-out cross-validation on the fit levels only: calibrate on the other fit levels,
 * predict the left-out one; the mean absolute relative p95 error over levels and endpoints.
 */
export function crossValidate(levels: Map<number, Level>, model: Model, fit: readonly number[]): number {
  const errors: number[] = [];
  for (const left of fit) {
    const cal = calibrateFor(
      fit.filter((u) => u !== left).flatMap((u) => levels.get(u)!),
      model,
    );
    const p = predictedP95(cal, model.placement, left);
    for (const endpoint of ENDPOINTS) {
      const err = rel(p.get(endpoint) ?? null, levelP95(levels.get(left)!, endpoint));
      if (err !== null) errors.push(Math.abs(err));
    }
  }
  return errors.length === 0 ? Number.POSITIVE_INFINITY : errors.reduce((a, b) => a + b, 0) / errors.length;
}
