import type { ModelContext } from './analytic.ts';
import { atDurationScale } from './machine-speed.ts';

// A run's machine speed read from the run's own CPU per iteration (issue 12, session 33). Pure.
//
// Near the knee this 2-core VM is bimodal from one minute to the next: in bench:knee full sync of
// 2026-12-05 03:48 the four replicates of 0.8K measured a conversations p95 of 24.4, 6.0, 4.8 and
// 14.5 ms and those of 0.9K 32.3, 7.6, 6.4 and 46.4 ms, the slow ones with the database's CPU a sync
// at 15.2-16.4 ms against 13.6-14.0 (+12 %), a syscall probe 2-15 % slower (inside the probe's own
// noise, machine-speed.ts PROBE_NOISE_BAND, so the probe moved no prediction) and the same buffer hit
// ratio, checkpoints and autovacuums. The same model and level fraction measured 6.5 ms in one bench
// and 16.2 in the other: no prediction from the fit runs alone lies within 25 % of both. What tells the
// states apart is the CPU the run's work cost, its service demand. So a run can be predicted at the
// speed its own host CPU per iteration shows against the prediction's: the calibration's durations
// (statements, the target's and k6's CPU per request, base latencies, fixed parts) scaled until the
// predicted host CPU per iteration is the measured. This reads the held-out run's demand, never its
// latency: it checks the layered model's latency given the work's cost (operational analysis), not
// the forecast of the cost itself, and it carries whatever the run's congestion added to that cost.

/** How close the predicted host CPU per iteration must come to the measured, as a share. */
export const RUN_CPU_TOLERANCE = 0.005;

/** Rounds of the scale's search at most (each one prediction of the run). */
export const RUN_CPU_MAX_ROUNDS = 4;

/** The range a run's CPU scale is held to: a run costing outside ×0.5-2 of its prediction is not a speed. */
export const RUN_CPU_SCALE_RANGE = { low: 0.5, high: 2 } as const;

/** A busy figure of a level per iteration, ms: `resource`'s busy servers over throughput (null without both). */
export function busyMsPerIteration(
  figures: { throughput: number; busy: Record<string, number | null | undefined> },
  resource: string,
): number | null {
  const b = figures.busy[resource];
  return typeof b === 'number' && figures.throughput > 0 ? (b / figures.throughput) * 1000 : null;
}

/** Host CPU per iteration of a level's figures, ms: its busy host cores over its throughput (null without both). */
export function hostMsPerIteration(figures: {
  throughput: number;
  busy: Record<string, number | null | undefined>;
}): number | null {
  const ms = busyMsPerIteration(figures, 'host.cpu');
  return ms !== null && ms > 0 ? ms : null;
}

/** The outcome of reading a run's speed from its CPU: the context predicted at, its scale and rounds. */
export interface RunCpuSpeed<P> {
  /** The prediction at the scale found (the first one when the run gave no CPU to read). */
  prediction: P;
  /** The factor on the calibration's durations (1 when the run gave no CPU to read). */
  scale: number;
  /** Measured host CPU per iteration, ms (null without it). */
  measuredMs: number | null;
  /** Predicted host CPU per iteration at the calibration's own speed, ms (null without it). */
  unscaledMs: number | null;
}

/**
 * Predicts a run at the speed its measured host CPU per iteration shows: `predict(ctx)` first as the
 * context is, then with the calibration's durations scaled until its host CPU per iteration is the
 * measured (secant steps; RUN_CPU_TOLERANCE, RUN_CPU_MAX_ROUNDS), the scale held to
 * RUN_CPU_SCALE_RANGE. Without a measured or predicted host CPU it is the context's own prediction.
 */
export function atRunCpuSpeed<P extends { throughput: number; busy: Record<string, number> }>(
  ctx: ModelContext,
  measuredMs: number | null,
  predict: (c: ModelContext) => P,
): RunCpuSpeed<P> {
  const first = predict(ctx);
  const unscaledMs = hostMsPerIteration(first);
  if (measuredMs === null || unscaledMs === null)
    return { prediction: first, scale: 1, measuredMs, unscaledMs };
  const clamp = (x: number) => Math.min(RUN_CPU_SCALE_RANGE.high, Math.max(RUN_CPU_SCALE_RANGE.low, x));
  let scale = 1;
  let prediction = first;
  let predictedMs = unscaledMs;
  // The host's CPU per iteration is close to affine in the scale (the scaled work plus what does not
  // scale): a proportional first step, then the secant through the last two.
  let previous: { scale: number; ms: number } | null = null;
  for (let round = 0; round < RUN_CPU_MAX_ROUNDS; round++) {
    if (Math.abs(measuredMs / predictedMs - 1) <= RUN_CPU_TOLERANCE) break;
    const slope =
      previous && predictedMs !== previous.ms ? (scale - previous.scale) / (predictedMs - previous.ms) : 0;
    const next = clamp(
      slope > 0 ? scale + (measuredMs - predictedMs) * slope : scale * (measuredMs / predictedMs),
    );
    if (next === scale) break;
    previous = { scale, ms: predictedMs };
    scale = next;
    prediction = predict({ ...ctx, calibration: atDurationScale(ctx.calibration, scale) });
    const ms = hostMsPerIteration(prediction);
    if (ms === null) break;
    predictedMs = ms;
  }
  return { prediction, scale, measuredMs, unscaledMs };
}
