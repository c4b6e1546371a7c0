import { median } from 'simple-statistics';
import type { Calibration } from './calibration.ts';
import type { RunPrediction } from './run-prediction.ts';
import { type HeldOutRun, predictHeldOut } from './validate.ts';

// The p95 a set of replicates is predicted to give when their samples are pooled (issue 12, session
// 33). Pure.
//
// bench:knee measures a level as the p95 of its replicates' samples pooled (scripts/bench/pooled-p95.ts).
// When the replicates ran in different machine states (run-cpu-speed.ts), each has its own predicted
// latency distribution, and the pool's p95 is the 95th percentile of their mixture, each weighted by the
// requests it sent: not the median of the replicates' p95s, nor the first one's. Where a replicate's
// prediction gives the distribution (P(latency > t), population-mixture.ts `survival`), the mixture is
// solved for P = 0.05 by bisection; where one does not, the median of the predicted p95s stands in.

/** One replicate's prediction of an endpoint: its p95, its survival function when known, its requests. */
export interface ReplicateEndpointPrediction {
  /** Predicted p95, ms (null: unbounded). */
  p95Ms: number | null;
  /** P(latency > t ms), when the prediction gives the distribution. */
  survival?: (ms: number) => number;
  /** The replicate's requests of this endpoint: its weight in the pool. */
  requests: number;
}

/** Bisection steps of the pooled p95 (relative width below 1e-6 long before the last). */
const STEPS = 80;

/**
 * The p95 of the replicates' pooled samples as predicted: the mixture of their distributions weighted
 * by their requests where every replicate gives one, else the median of their p95s. Null when some
 * replicate's p95 is unbounded or none has requests.
 */
export function pooledPredictedP95(parts: ReplicateEndpointPrediction[]): number | null {
  const sent = parts.filter((p) => p.requests > 0);
  if (sent.length === 0 || sent.some((p) => p.p95Ms === null)) return null;
  const p95s = sent.map((p) => p.p95Ms as number);
  if (!sent.every((p) => p.survival)) return median(p95s);
  const total = sent.reduce((s, p) => s + p.requests, 0);
  const tail = (t: number): number => sent.reduce((s, p) => s + p.requests * p.survival!(t), 0) / total;
  // The pool's p95 lies between the lowest and the highest replicate's p95.
  let low = Math.min(...p95s);
  let high = Math.max(...p95s);
  if (!(high > low)) return low;
  for (let k = 0; k < STEPS && high - low > 1e-9 * high; k++) {
    const mid = (low + high) / 2;
    if (tail(mid) > 0.05) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The pooled p95 per endpoint of several run predictions (pooledPredictedP95), each endpoint's parts
 * weighted by `requestsOf(i, endpoint)`, the requests prediction i stands for.
 */
export function pooledRunP95s(
  runs: readonly RunPrediction[],
  requestsOf: (index: number, endpoint: string) => number,
): Record<string, number | null> {
  const endpoints = [...new Set(runs.flatMap((r) => Object.keys(r.p95Ms)))];
  const p95Ms: Record<string, number | null> = {};
  for (const e of endpoints)
    p95Ms[e] = pooledPredictedP95(
      runs.map((r, i) => ({
        p95Ms: r.p95Ms[e] ?? null,
        ...(r.population?.survival[e] ? { survival: r.population.survival[e] } : {}),
        requests: requestsOf(i, e),
      })),
    );
  return p95Ms;
}

/** A level's replicates each predicted at its own CPU speed, and their pooled p95s. */
export interface LevelAtRunSpeeds {
  /** The pooled p95 per endpoint (pooledPredictedP95). */
  p95Ms: Record<string, number | null>;
  /** Each replicate's factor on the calibration's durations (run-cpu-speed.ts), in the runs' order. */
  scales: number[];
  /** Each replicate's own predicted p95s at its speed, in the runs' order. */
  replicates: Record<string, number | null>[];
}

/**
 * Predicts each replicate of a level as it was run and at the speed its own host CPU per iteration
 * shows (run-cpu-speed.ts atRunCpuSpeed), and pools them as bench:knee pools their samples.
 */
export function predictLevelAtRunSpeeds(cal: Calibration, heldOut: HeldOutRun[]): LevelAtRunSpeeds {
  const each = heldOut.map((h) => ({ record: h.record, ...predictHeldOut(cal, h, 'run-cpu') }));
  const p95Ms = pooledRunP95s(
    each.map((r) => r.prediction),
    (i, e) => each[i]!.record.endpoints[e]?.count ?? 0,
  );
  return { p95Ms, scales: each.map((r) => r.scale), replicates: each.map((r) => r.prediction.p95Ms) };
}
