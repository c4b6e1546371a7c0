import { linearRegression, median, rSquared } from 'simple-statistics';
import type { Calibration } from './calibration.ts';

// The latency of a request with no queue wait (the calibrated base the model adds waits to), and how
// it depends on load on the measuring machine. Pure.
//
// Measured on a quiet 2-core VM, the p95 of the same request falls as the load rises well below
// saturation (full sync, 1,500 -> 7,500 users: rest.conversations 4.6 -> 3.0 ms, statement times
// 0.98 -> 0.77 ms): part of the latency fades the busier the host is (an idle vCPU pays a wake-up on
// each hop k6 -> target -> PostgreSQL and back; caches and clocks stay warm). The model's shape for it
// is the simplest that falls, flattens and never goes below a floor: quantile(r) = floor + fade / r,
// r the requests per second reaching the target, fitted by least squares over the runs. It is an
// empirical shape, chosen before the runs that validate it (bench:calibration), not a mechanism.

/** The measured latency of one request of an endpoint with no queue wait (simulator/base-latency.ts). */
export interface BaseLatency {
  /** Median, ms; with `fade`, the floor the median falls to as load grows. */
  medianMs: number;
  /** 95th percentile, ms; with `fade`, its floor. */
  p95Ms: number;
  /**
   * Latency that fades as the measuring host gets busier, in ms × requests/s: at r requests/s reaching
   * the target the median is medianMs + fade.medianMs / r (p95 likewise), r held at no less than the
   * lowest measured load. Absent: the same at every load.
   */
  fade?: { medianMs: number; p95Ms: number; minRequestsPerSecond: number; maxRequestsPerSecond: number };
  source: string;
}

/** How the base latency is calibrated: one figure per endpoint, or floor + fade / load. */
export type BaseLatencyShape = 'flat' | 'fading';

/** One run's measured base latency of an endpoint (its queue waits already removed) and its load. */
export interface BaseLatencyPoint {
  requestsPerSecond: number;
  medianMs: number;
  p95Ms: number;
}

/** Fewest runs, and smallest spread of load (max / min requests per second), that a fading fit needs. */
export const FADING_MIN_RUNS = 3;
export const FADING_MIN_SPREAD = 1.5;

/**
 * Least squares y = floor + fade·x with fade >= 0 and floor >= 0: a rising trend (fade < 0) is no
 * fade (floor = the median of y); a negative floor refits through the origin. R² over the points.
 */
function fitFade(points: Array<{ x: number; y: number }>): { floor: number; fade: number; r2: number } {
  const xy = points.map((p) => [p.x, p.y]);
  const ys = points.map((p) => p.y);
  let { m: fade, b: floor } = linearRegression(xy);
  if (fade <= 0) return { floor: median(ys), fade: 0, r2: 0 };
  if (floor < 0) {
    floor = 0;
    fade = points.reduce((s, p) => s + p.x * p.y, 0) / points.reduce((s, p) => s + p.x * p.x, 0);
  }
  const flat = ys.every((y) => y === ys[0]);
  return { floor, fade, r2: flat ? 0 : rSquared(xy, (x) => floor + fade * x) };
}

/**
 * The base latency of an endpoint from its runs' points. `flat`: the median over runs of the median
 * and of the p95 (one run disturbed from outside moves it least). `fading`: floor + fade / requests
 * per second for each quantile, when there are at least FADING_MIN_RUNS runs spread over
 * FADING_MIN_SPREAD× in load and the fit falls; else flat. `source` describes where the runs came from.
 */
export function fitBaseLatency(
  points: BaseLatencyPoint[],
  shape: BaseLatencyShape,
  source: string,
): BaseLatency {
  const flat: BaseLatency = {
    medianMs: median(points.map((p) => p.medianMs)),
    p95Ms: median(points.map((p) => p.p95Ms)),
    source: `${source} (median over runs), log-normal`,
  };
  if (shape === 'flat' || points.length < FADING_MIN_RUNS) return flat;
  const rates = points.map((p) => p.requestsPerSecond);
  const minRate = Math.min(...rates);
  const maxRate = Math.max(...rates);
  if (!(minRate > 0) || maxRate / minRate < FADING_MIN_SPREAD) return flat;
  const p50 = fitFade(points.map((p) => ({ x: 1 / p.requestsPerSecond, y: p.medianMs })));
  const p95 = fitFade(points.map((p) => ({ x: 1 / p.requestsPerSecond, y: p.p95Ms })));
  if (p50.fade === 0 && p95.fade === 0) return flat;
  return {
    medianMs: p50.floor,
    p95Ms: p95.floor,
    fade: {
      medianMs: p50.fade,
      p95Ms: p95.fade,
      minRequestsPerSecond: minRate,
      maxRequestsPerSecond: maxRate,
    },
    source: `${source}, log-normal; median and p95 each = floor + fade / (requests/s reaching the target), least squares over ${points.length} runs at ${minRate.toFixed(0)}-${maxRate.toFixed(0)} requests/s (R² ${p50.r2.toFixed(2)}, ${p95.r2.toFixed(2)}); below ${minRate.toFixed(0)} requests/s held at its value there`,
  };
}

/**
 * The base latency (median, p95) of an endpoint at `requestsPerSecond` reaching the target, or null
 * when the calibration has none for it. A fading base is read at no less than its lowest measured load
 * (below it, the shape would grow without bound), and its p95 is kept above its median.
 */
export function baseLatencyAt(
  cal: Calibration,
  endpoint: string,
  requestsPerSecond: number,
): { medianMs: number; p95Ms: number } | null {
  const b = cal.baseLatency?.[endpoint];
  if (!b) return null;
  if (!b.fade) return { medianMs: b.medianMs, p95Ms: b.p95Ms };
  const r = Math.max(requestsPerSecond, b.fade.minRequestsPerSecond);
  const medianMs = b.medianMs + b.fade.medianMs / r;
  return { medianMs, p95Ms: Math.max(medianMs * 1.01, b.p95Ms + b.fade.p95Ms / r) };
}
