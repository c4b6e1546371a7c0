import { levenbergMarquardt } from 'ml-levenberg-marquardt';

// Universal Scalability Law (N. J. Gunther, "Guerrilla Capacity Planning", Springer 2007, ch. 4):
//   X(N) = λ N / (1 + σ (N − 1) + κ N (N − 1))
// fitted by bounded nonlinear least squares (ml-levenberg-marquardt with minValues/maxValues and the
// analytical Jacobian). Parameters are scaled to order 1 so that λ ~ 1e3 and κ ~ 1e-4 share one step.

/** Universal Scalability Law fit: X(N) = λN / (1 + σ(N−1) + κN(N−1)). */
export interface UslFit {
  lambda: number;
  sigma: number;
  kappa: number;
  /** Coefficient of determination of the fit. */
  r2: number;
  /** Measured minus fitted throughput per point. */
  residuals: number[];
  /** Concurrency at which throughput peaks: sqrt((1−σ)/κ); null when κ is 0. */
  peakConcurrency: number | null;
  /** Throughput at the peak. */
  peakThroughput: number | null;
  points: Array<{ n: number; x: number }>;
}

/** Throughput at concurrency n under USL coefficients. */
export function uslThroughput(lambda: number, sigma: number, kappa: number, n: number): number {
  return (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

/** Fits λ, σ, κ to (concurrency, throughput) points; σ in [0, 1], κ in [0, 1], λ > 0. Needs 3+ points. */
export function fitUsl(points: Array<{ n: number; x: number }>): UslFit {
  if (points.length < 3) throw new RangeError(`a USL fit needs at least 3 points, got ${points.length}`);
  for (const p of points) if (!(p.n > 0 && p.x >= 0)) throw new RangeError(`bad USL point n=${p.n} x=${p.x}`);
  const xs = points.map((p) => p.n);
  const ys = points.map((p) => p.x);
  // λ starts at the best per-unit throughput at the lowest concurrency; σ, κ at typical magnitudes.
  const lowest = points.reduce((a, b) => (b.n < a.n ? b : a));
  const lambda0 = Math.max(1e-9, lowest.x / lowest.n);
  const s0 = 0.01;
  const k0 = 1e-4;
  const model =
    ([a, b, c]: number[]) =>
    (n: number): number =>
      uslThroughput(a! * lambda0, b! * s0, c! * k0, n);
  const jacobian =
    ([a, b, c]: number[]) =>
    (n: number): number[] => {
      const lambda = a! * lambda0;
      const d = 1 + b! * s0 * (n - 1) + c! * k0 * n * (n - 1);
      return [
        (lambda0 * n) / d,
        (-lambda * n * (n - 1) * s0) / (d * d),
        (-lambda * n * n * (n - 1) * k0) / (d * d),
      ];
    };
  let best: number[] = [1, 1, 1];
  let bestSse = Number.POSITIVE_INFINITY;
  // A few starting points guard against a local minimum on flat data.
  for (const start of [
    [1, 1, 1],
    [1, 0.1, 0.1],
    [1, 10, 10],
  ]) {
    const result = levenbergMarquardt({ x: xs, y: ys }, model, {
      initialValues: start,
      minValues: [1e-12, 0, 0],
      maxValues: [1e12, 1 / s0, 1 / k0],
      damping: 1e-3,
      maxIterations: 2000,
      errorTolerance: 1e-12,
      improvementThreshold: 1e-6,
      jacobianFunction: jacobian,
    });
    const f = model(result.parameterValues);
    const sse = xs.reduce((s, n, i) => s + (ys[i]! - f(n)) ** 2, 0);
    if (sse < bestSse) {
      bestSse = sse;
      best = result.parameterValues;
    }
  }
  const lambda = best[0]! * lambda0;
  const sigma = best[1]! * s0;
  const kappa = best[2]! * k0;
  const residuals = points.map((p) => p.x - uslThroughput(lambda, sigma, kappa, p.n));
  const mean = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sst = ys.reduce((s, y) => s + (y - mean) ** 2, 0);
  const sse = residuals.reduce((s, r) => s + r * r, 0);
  const peak = kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : null;
  return {
    lambda,
    sigma,
    kappa,
    r2: sst > 0 ? 1 - sse / sst : 1,
    residuals,
    peakConcurrency: peak,
    peakThroughput: peak !== null ? uslThroughput(lambda, sigma, kappa, peak) : null,
    points: points.map((p) => ({ n: p.n, x: p.x })),
  };
}
