import { basename } from 'node:path';
import type { Profile } from '../../core/profile.ts';
import type { LoadedRun } from '../../core/run-record.ts';
import { UsageError } from '../../core/usage-error.ts';
import { STEADY_SCENARIOS } from '../../reports/index.ts';
import type { Assumptions, DataSizeInput, DataSizePoint, Pricing } from '../../simulator/index.ts';
import {
  AssumptionError,
  applyAssignments,
  checkLoadAssumptions,
  dataSizeInputOf,
  dataSizePoints,
  defaultAssumptions,
} from '../../simulator/index.ts';

// The one input pipeline of `simulate` and `review`: the same assumptions (catalogue, then the profile
// file's `assumptions:`, then `--set`), the same pricing and the same run-record filter, so the two
// commands compute the same numbers from the same inputs.

/** The assumptions of a run: bases from the profile and pricing, the profile's values, then `--set` (last wins). */
export function resolveAssumptions(profile: Profile, pricing: Pricing, sets: readonly string[]): Assumptions {
  const file = `profile ${profile.name}`;
  let a = defaultAssumptions({
    profile,
    ...(pricing.llm ? { llmLimits: pricing.llm.limits } : {}),
  });
  try {
    a = applyAssignments(
      a,
      Object.entries(profile.assumptions).map(([name, value]) => ({ name, value })),
      `${file}`,
    );
  } catch (error) {
    if (error instanceof AssumptionError)
      throw new UsageError(`${file}: assumptions.${error.assumption}`, error.message);
    throw error;
  }
  try {
    a = applyAssignments(a, sets, '--set');
    checkLoadAssumptions(a);
  } catch (error) {
    if (error instanceof AssumptionError) throw new UsageError('--set', error.message);
    throw error;
  }
  return a;
}

/** A run record as both commands read it (the fields the filter looks at). */
interface RunLike {
  record: {
    scenario: string;
    users: number;
    startedAt: string;
    faults?: unknown;
    profile: { name?: string | undefined };
    policy: { name?: string | undefined };
  };
}

/**
 * The runs the model is calibrated from: of this profile, the newest per scenario, users and policy
 * (reruns replace older ones), steady scenarios only (ramps and fault runs measure something else).
 */
export function calibrationRuns<R extends RunLike>(runs: readonly R[], profile: string): R[] {
  const byKey = new Map<string, R>();
  for (const run of runs) {
    const r = run.record;
    if (r.profile.name !== profile) continue;
    const key = `${r.scenario}|${r.users}|${r.policy.name}`;
    const seen = byKey.get(key);
    if (!seen || seen.record.startedAt < r.startedAt) byKey.set(key, run);
  }
  return [...byKey.values()].filter((r) => STEADY_SCENARIOS.includes(r.record.scenario) && !r.record.faults);
}

/**
 * What simulate and review read of data size: the table-size points of every run read (all profiles:
 * the fit compares datasets of different sizes) and the input that carries the calibration runs'
 * demands to the data size of each prediction's users (data-size-demand.ts).
 */
export function dataSizeInputs(
  calibrationRuns: readonly LoadedRun[],
  allRuns: readonly LoadedRun[],
): { points: DataSizePoint[]; input: DataSizeInput } {
  const named = (runs: readonly LoadedRun[]) =>
    runs.map((r) => ({ name: basename(r.dir), record: r.record }));
  const points = dataSizePoints(named(allRuns));
  return { points, input: dataSizeInputOf(named(calibrationRuns), points) };
}
