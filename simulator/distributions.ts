// Small numerical helpers for the latency distributions the model uses (normal, log-normal,
// exponential, Poisson). Closed forms where they exist; accuracy named per function.

/**
 * Complementary error function, fractional error < 1.2e-7 everywhere (Numerical Recipes in C, 2nd ed.,
 * section 6.2, erfcc: Chebyshev fit).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Standard normal quantile (probit), relative error < 1.15e-9 (P. J. Acklam's rational approximation,
 * with one Halley refinement step is not needed at that accuracy).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    throw new RangeError(`p must be in [0, 1], got ${p}`);
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return (
    -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  );
}

/** z-value of the 95th percentile of the standard normal. */
export const Z95 = normalQuantile(0.95);

/** A log-normal distribution by the mean and sigma of its logarithm. */
export interface LogNormal {
  mu: number;
  sigma: number;
}

/** Log-normal with the given median and 95th percentile (what the policy's upstream latency states). */
export function logNormalFromMedianP95(median: number, p95: number): LogNormal {
  if (!(median > 0) || !(p95 >= median))
    throw new RangeError(`need 0 < median <= p95, got ${median}, ${p95}`);
  return { mu: Math.log(median), sigma: Math.log(p95 / median) / Z95 };
}

/** Log-normal with the given mean and squared coefficient of variation. */
export function logNormalFromMeanScv(mean: number, scv: number): LogNormal {
  const sigma2 = Math.log(1 + scv);
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

/** Mean of a log-normal. */
export function logNormalMean(d: LogNormal): number {
  return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
}

/** Variance of a log-normal. */
export function logNormalVariance(d: LogNormal): number {
  const s2 = d.sigma * d.sigma;
  return (Math.exp(s2) - 1) * Math.exp(2 * d.mu + s2);
}

/** Quantile of a log-normal. */
export function logNormalQuantile(d: LogNormal, p: number): number {
  return Math.exp(d.mu + d.sigma * normalQuantile(p));
}

/** Survival function P(X > x) of a log-normal. */
export function logNormalSurvival(d: LogNormal, x: number): number {
  if (x <= 0) return 1;
  if (d.sigma === 0) return x < Math.exp(d.mu) ? 1 : 0;
  return 1 - normalCdf((Math.log(x) - d.mu) / d.sigma);
}

/**
 * Expected overflow share of a per-window limit: with N ~ Poisson(mean) requests in a window and a
 * limit L, E[max(N − L, 0)] / E[N]: the share of requests rejected. Summed in log space so large means
 * do not overflow.
 */
export function poissonOverflowShare(mean: number, limit: number): number {
  if (mean <= 0) return 0;
  const logMean = Math.log(mean);
  if (mean < limit) {
    // Far below the limit, mean − L + Σ_{k<L}(L − k)P(k) cancels; sum the tail Σ_{k>L}(k − L)P(k) instead.
    let logP = -mean;
    for (let k = 0; k <= limit; k++) logP += logMean - Math.log(k + 1); // log P(N = limit + 1)
    let tail = 0;
    for (let k = limit + 1; k < limit + 1 + 10_000; k++) {
      const term = (k - limit) * Math.exp(logP);
      tail += term;
      if (term < 1e-300 || (k > mean && term < tail * 1e-17)) break;
      logP += logMean - Math.log(k + 1);
    }
    return Math.min(1, tail / mean);
  }
  // E[max(N−L,0)] = mean − L + Σ_{k<L} (L − k) P(N=k)
  let logP = -mean; // log P(N=0)
  let below = 0;
  for (let k = 0; k < limit; k++) {
    below += (limit - k) * Math.exp(logP);
    logP += logMean - Math.log(k + 1);
  }
  return Math.min(1, Math.max(0, (mean - limit + below) / mean));
}

/** A bracket known to hold a quantile: survival(lo) >= 1 − p >= survival(hi). */
export interface QuantileBracket {
  lo: number;
  hi: number;
}

/**
 * p-quantile of a non-negative quantity given by its survival function: a bracket (the caller's, when it
 * knows one, else [0, hi] with hi doubled until it is above the quantile), then the Illinois variant of
 * regula falsi to 1e-7 relative (the survival functions here are accurate to ~1e-7: erfc), which needs
 * a handful of evaluations from a tight bracket where bisection needs forty.
 */
export function quantileFromSurvival(
  survival: (x: number) => number,
  p: number,
  scale: number,
  bracket?: QuantileBracket,
): number {
  const target = 1 - p;
  const safe = !bracket || !(bracket.hi > bracket.lo && bracket.lo >= 0);
  let lo = safe ? 0 : bracket!.lo;
  let flo = survival(lo) - target;
  if (flo < 0 && lo > 0) {
    // A bracket that does not hold (numerical error at its end) widens to the safe one.
    lo = 0;
    flo = survival(0) - target;
  }
  if (flo <= 0 && lo === 0) return 0;
  let hi = safe ? Math.max(scale, 1e-9) : bracket!.hi;
  let fhi = survival(hi) - target;
  for (let i = 0; i < 200 && fhi > 0; i++) {
    lo = hi;
    flo = fhi;
    hi *= 2;
    fhi = survival(hi) - target;
  }
  let side = 0;
  for (let i = 0; i < 100; i++) {
    const x = (lo * fhi - hi * flo) / (fhi - flo);
    const fx = survival(x) - target;
    if (Math.abs(hi - lo) <= 1e-7 * hi || fx === 0) return x;
    if (fx > 0) {
      lo = x;
      flo = fx;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = x;
      fhi = fx;
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}
