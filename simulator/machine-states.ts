import { probit } from 'simple-statistics';
import type { ModelContext } from './analytic.ts';
import { atDurationScale } from './machine-speed.ts';
import { pooledRunP95s } from './pooled-prediction.ts';
import type { RunPrediction } from './run-prediction.ts';

// A level's p95 over the machine states its replicates may draw (issue 12, session 37). Pure.
//
// Replicates of one level, back to back on this 2-core VM with one code, cost different CPU per
// iteration: the fit replicates of bench:knee differ by 4-9 % (sample standard deviation over the mean
// within a level), the held replicates as much (full sync of 2026-12-05 17:34, 0.9K: their own CPU
// scale ×0.90-×1.07 of the calibration's). Near the knee a few per cent more CPU per request is a
// few per cent nearer it, and a p95 there is convex in the CPU: the replicate that drew a dear state
// collapses (its p95 five to eight times the others') while a cheap one gains little. A pooled set
// of replicates is then a mixture of states, and its p95 lies above the p95 at the mean state. This
// predicts that mixture: the run at the calibration's durations × each scale of a Normal(1, σ), σ
// the fit replicates' own spread, in equal-probability slices (the midpoint quantile of each), pooled
// as bench:knee pools samples (pooled-prediction.ts: each state's distribution weighted by the requests
// it sends). The assumption is the normal shape; σ is measured on the fit runs, never the held ones.

/** Equal-probability slices of the machine-state distribution a level is predicted over. */
export const MACHINE_STATE_SLICES = 10;

/** True when `sigma` is a spread whose machine states all have positive durations (σ ≥ 0, lowest scale > 0). */
export function isMachineStateSpread(sigma: number, slices = MACHINE_STATE_SLICES): boolean {
  return sigma >= 0 && Number.isFinite(sigma) && 1 + sigma * probit(0.5 / slices) > 0;
}

/**
 * The scales on the calibration's durations at the midpoints of `slices` equal-probability slices of
 * Normal(1, `sigma`), lowest first: 1 + σ·Φ⁻¹((i + ½)/slices). σ ≥ 0; every scale must stay positive.
 */
export function machineStateScales(sigma: number, slices = MACHINE_STATE_SLICES): number[] {
  if (!(sigma >= 0) || !Number.isFinite(sigma))
    throw new RangeError(`machine-state spread must be a number >= 0, got ${sigma}`);
  if (!Number.isInteger(slices) || slices < 1)
    throw new RangeError(`machine-state slices must be a whole number >= 1, got ${slices}`);
  if (!isMachineStateSpread(sigma, slices))
    throw new RangeError(`machine-state spread ${sigma} gives a scale <= 0`);
  return Array.from({ length: slices }, (_, i) => 1 + sigma * probit((i + 0.5) / slices));
}

/** A run predicted over machine states: the scales, each state's p95s, and the pooled p95 per endpoint. */
export interface OverMachineStates {
  /** The scales on the calibration's durations, lowest first (machineStateScales). */
  scales: number[];
  /** Each state's own predicted p95s, in the scales' order. */
  states: Record<string, number | null>[];
  /** The p95 of the states' pooled requests per endpoint (null: some state's is unbounded). */
  p95Ms: Record<string, number | null>;
}

/**
 * Predicts a run (`predict`, e.g. predictRun of the run in `ctx`) at each machine state of spread
 * `sigma` and pools the states' latency distributions, each weighted by the requests of the endpoint it
 * predicts (equally likely states, equal time each).
 */
export function predictOverMachineStates(
  ctx: ModelContext,
  sigma: number,
  predict: (c: ModelContext) => RunPrediction,
  slices = MACHINE_STATE_SLICES,
): OverMachineStates {
  const scales = machineStateScales(sigma, slices);
  const runs = scales.map((k) => predict({ ...ctx, calibration: atDurationScale(ctx.calibration, k) }));
  const p95Ms = pooledRunP95s(
    runs,
    (i, e) => runs[i]!.prediction.endpoints.find((x) => x.endpoint === e)?.ratePerSecond ?? 0,
  );
  return { scales, states: runs.map((r) => r.p95Ms), p95Ms };
}
