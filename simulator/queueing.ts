import type { LogNormal } from './distributions.ts';
import {
  logNormalFromMeanScv,
  logNormalQuantile,
  logNormalSurvival,
  type QuantileBracket,
  quantileFromSurvival,
} from './distributions.ts';
import { erlangC } from './erlang-c.ts';

// M/M/c and M/G/c (Allen–Cunneen) queues: waits, their percentiles and end-to-end response times.
// Times in ms, rates per second.

/** One multi-server queue in steady state. */
export interface Queue {
  servers: number;
  /** Arrivals per second. */
  arrivalRate: number;
  /** Mean service (hold) time, ms. */
  serviceTimeMs: number;
  /** Squared coefficient of variation of the service time (1 = exponential). */
  serviceScv: number;
  /** λ·S in Erlangs (Little's law: mean busy servers when stable). */
  offeredLoad: number;
  utilisation: number;
  saturated: boolean;
  /** Probability of waiting (Erlang C; 1 when saturated). */
  probabilityOfWaiting: number;
  /** Mean wait of those who wait, ms (the wait given waiting is exponential); null when saturated. */
  conditionalWaitMs: number | null;
  /** Mean wait over all arrivals, ms; null when saturated. */
  meanWaitMs: number | null;
  /** Most arrivals per second the servers can serve. */
  capacityPerSecond: number;
  /** Share of arrivals that can never be served (1 − c/A when saturated, else 0). */
  excessShare: number;
}

/**
 * Steady state of a queue with Poisson arrivals and `servers` servers. Exponential service gives the
 * exact M/M/c waits; other service variability uses the Allen–Cunneen approximation
 * Wq ≈ C(c, A) · S / (c − A) · (1 + scv) / 2 (Allen, "Probability, Statistics, and Queueing Theory", 1990).
 */
export function queue(servers: number, arrivalRate: number, serviceTimeMs: number, serviceScv = 1): Queue {
  if (!(servers >= 1)) throw new RangeError(`servers must be >= 1, got ${servers}`);
  if (!(arrivalRate >= 0) || !(serviceTimeMs >= 0))
    throw new RangeError('arrival rate and service time must be >= 0');
  const c = Math.floor(servers);
  const offered = (arrivalRate * serviceTimeMs) / 1000;
  const utilisation = offered / c;
  const capacity = serviceTimeMs > 0 ? (c * 1000) / serviceTimeMs : Number.POSITIVE_INFINITY;
  if (offered >= c) {
    return {
      servers: c,
      arrivalRate,
      serviceTimeMs,
      serviceScv,
      offeredLoad: offered,
      utilisation,
      saturated: true,
      probabilityOfWaiting: 1,
      conditionalWaitMs: null,
      meanWaitMs: null,
      capacityPerSecond: capacity,
      excessShare: 1 - c / offered,
    };
  }
  const pw = erlangC(c, offered);
  const conditional = ((serviceTimeMs / (c - offered)) * (1 + serviceScv)) / 2;
  return {
    servers: c,
    arrivalRate,
    serviceTimeMs,
    serviceScv,
    offeredLoad: offered,
    utilisation,
    saturated: false,
    probabilityOfWaiting: pw,
    conditionalWaitMs: conditional,
    meanWaitMs: pw * conditional,
    capacityPerSecond: capacity,
    excessShare: 0,
  };
}

/** P(wait > t) for a stable queue: C · exp(−t / conditional wait). */
export function waitSurvival(q: Queue, tMs: number): number {
  if (q.saturated || q.conditionalWaitMs === null) return 1;
  if (q.conditionalWaitMs === 0 || tMs < 0) return tMs < 0 ? 1 : 0;
  return q.probabilityOfWaiting * Math.exp(-tMs / q.conditionalWaitMs);
}

/** p-quantile of the wait (0 when at least a share p does not wait); null when saturated. */
export function waitQuantile(q: Queue, p: number): number | null {
  if (q.saturated || q.conditionalWaitMs === null) return null;
  const pw = q.probabilityOfWaiting;
  if (pw <= 1 - p) return 0;
  return q.conditionalWaitMs * Math.log(pw / (1 - p));
}

/**
 * A latency made of a constant, an exponential wait that happens with some probability, and a
 * log-normal service time: the shape of one request through one or two queues.
 */
export interface Latency {
  constantMs: number;
  /** Probability of waiting at all. */
  waitProbability: number;
  /** Mean wait of those who wait, ms. */
  waitMeanMs: number;
  /** Service time; sigma 0 means a constant. */
  service: LogNormal;
  serviceMeanMs: number;
  serviceVarianceMs2: number;
  /**
   * A second wait, independent of the first and kept apart from it: rare and long (the rig's event
   * loop stalled while its thread waits for a core, event-loop.ts), so merging it into the first would
   * spread its tail over every request. Absent: none.
   */
  stall?: { probability: number; meanMs: number };
  /**
   * Another path a share of the requests take instead of this one (a push with a row to write runs a
   * statement, an empty one does not): the latency is then the mixture of the two. Absent: one path.
   */
  alternative?: { share: number; latency: Latency };
}

/** One wait on a request's path: with `probability`, exponential of mean `meanMs`; `stall`: kept apart. */
export interface PathWait {
  probability: number;
  meanMs: number;
  /** A rare, long wait ({@link Latency} `stall`), merged only with others of its kind. */
  stall?: boolean;
}

/** Several waits in series as one: waits at all with 1 − Π(1 − p), with the same total mean. */
function mergedWait(waits: PathWait[]): { probability: number; meanMs: number } {
  let noWait = 1;
  let meanTotal = 0;
  for (const w of waits) {
    noWait *= 1 - w.probability;
    meanTotal += w.probability * w.meanMs;
  }
  const p = 1 - noWait;
  return { probability: p, meanMs: p > 0 ? meanTotal / p : 0 };
}

/** Builds a {@link Latency} from a constant, waits and a service time with mean and scv. */
export function latency(
  constantMs: number,
  waits: PathWait[],
  serviceMeanMs: number,
  serviceScv: number,
): Latency {
  // Several waits in series are merged into one; stalls into another, kept apart.
  const wait = mergedWait(waits.filter((w) => !w.stall));
  const stall = mergedWait(waits.filter((w) => w.stall));
  const service =
    serviceMeanMs > 0
      ? logNormalFromMeanScv(serviceMeanMs, serviceScv)
      : { mu: Number.NEGATIVE_INFINITY, sigma: 0 };
  return {
    constantMs,
    waitProbability: wait.probability,
    waitMeanMs: wait.meanMs,
    ...(stall.probability > 0 && stall.meanMs > 0 ? { stall } : {}),
    service,
    serviceMeanMs,
    serviceVarianceMs2: serviceScv * serviceMeanMs * serviceMeanMs,
  };
}

/**
 * A latency whose requests take `main`'s path, or with probability `share` `other`'s (each a
 * one-path latency; `share` 0 is `main` itself).
 */
export function latencyMixture(main: Latency, share: number, other: Latency): Latency {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`mixture share must be in [0, 1], got ${share}`);
  const own = pathOf(main);
  return share > 0 ? { ...own, alternative: { share, latency: pathOf(other) } } : own;
}

/** One path of a latency: the latency without its alternative. */
function pathOf(l: Latency): Latency {
  const { alternative: _alternative, ...own } = l;
  return own;
}

/** Mean of one path of a latency (its alternative left out). */
function pathMean(l: Latency): number {
  const stall = l.stall ? l.stall.probability * l.stall.meanMs : 0;
  return l.constantMs + l.waitProbability * l.waitMeanMs + stall + l.serviceMeanMs;
}

/** Mean of a latency. */
export function latencyMean(l: Latency): number {
  const a = l.alternative;
  if (!a) return pathMean(l);
  return (1 - a.share) * pathMean(l) + a.share * latencyMean(a.latency);
}

/** Variance of one path of a latency (its alternative left out). */
function pathVariance(l: Latency): number {
  // An exponential of mean m with probability p: second moment p · 2m², mean p · m.
  const waitVariance = (p: number, m: number): number => p * 2 * m * m - (p * m) ** 2;
  const stall = l.stall ? waitVariance(l.stall.probability, l.stall.meanMs) : 0;
  return waitVariance(l.waitProbability, l.waitMeanMs) + stall + l.serviceVarianceMs2;
}

/** Variance of a latency (of a mixture: its second moment less its mean squared). */
export function latencyVariance(l: Latency): number {
  const a = l.alternative;
  if (!a) return pathVariance(l);
  const m1 = pathMean(l);
  const m2 = latencyMean(a.latency);
  const second =
    (1 - a.share) * (pathVariance(l) + m1 * m1) + a.share * (latencyVariance(a.latency) + m2 * m2);
  const mean = (1 - a.share) * m1 + a.share * m2;
  return Math.max(0, second - mean * mean);
}

/** Nodes and weights of n-point Gauss–Legendre quadrature on [−1, 1] (Newton on Legendre polynomials). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let k = 0; k < 100; k++) {
      let p0 = 1;
      let p1 = 0;
      for (let j = 0; j < n; j++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * j + 1) * z * p1 - j * p2) / (j + 1);
      }
      dp = (n * (z * p0 - p1)) / (z * z - 1);
      const dz = p0 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const GL = gaussLegendre(16);

/** Panels of the composite quadrature in latencySurvival. */
const PANELS = 3;

/** Standard normal scores beyond which the log-normal's density is below 1e-16 of its peak. */
const Z_REACH = 8.5;

/** Exponents beyond which e^{−θs} is negligible (e^{−36} = 2e-16). */
const EXP_REACH = 36;

/**
 * P(latency > t) for an exponential wait plus log-normal service, X = e^{μ+σZ}:
 *   P(E + X > t) = P(X > t) + E[e^{−θ(t−X)}; X < t],  E ~ Exp(θ),
 * the expectation over Z (smooth in Z whatever the wait's scale), from the Z where e^{−θ(t−X)} is
 * negligible (or −8.5) to the Z of t (or 8.5), with 3 panels of 16-point Gauss–Legendre (quantiles
 * within 1e-4 relative of a 200,000-step trapezoid; the old form over the wait needed 4 panels).
 */
export function latencySurvival(l: Latency, tMs: number): number {
  const a = l.alternative;
  if (a) return (1 - a.share) * pathSurvival(l, tMs) + a.share * latencySurvival(a.latency, tMs);
  return pathSurvival(l, tMs);
}

/**
 * P(latency > t) of one path of a latency (its alternative left out): latencySurvival's integral, and
 * with a stall (a second exponential wait E₂, independent) the four cases of which waits happen. E₁ + E₂
 * is hypoexponential, its density θ₁θ₂ (e^{−θ₁x} − e^{−θ₂x}) / (θ₂ − θ₁), so
 * P(E₁ + E₂ + X > t) = (θ₂ P(E₁ + X > t) − θ₁ P(E₂ + X > t)) / (θ₂ − θ₁).
 */
function pathSurvival(l: Latency, tMs: number): number {
  const t = tMs - l.constantMs;
  if (t <= 0) return 1;
  const noWait = l.serviceMeanMs > 0 ? logNormalSurvival(l.service, t) : 0;
  const first = l.waitProbability > 0 && l.waitMeanMs > 0 ? l.waitProbability : 0;
  const stall = l.stall && l.stall.probability > 0 && l.stall.meanMs > 0 ? l.stall : null;
  const withFirst = first > 0 ? waitAndServiceSurvival(l, t, 1 / l.waitMeanMs) : 0;
  if (!stall) return (1 - first) * noWait + first * withFirst;
  const q = stall.probability;
  const theta1 = first > 0 ? 1 / l.waitMeanMs : 0;
  // Equal rates would divide by zero: the stall's rate is moved by a part in a thousand (its quantiles
  // move by less than that).
  const raw = 1 / stall.meanMs;
  const theta2 = first > 0 && Math.abs(raw - theta1) < 1e-3 * theta1 ? theta1 * (1 + 1e-3) : raw;
  const withStall = waitAndServiceSurvival(l, t, theta2);
  const both = first > 0 ? (theta2 * withFirst - theta1 * withStall) / (theta2 - theta1) : 0;
  return (
    (1 - first) * (1 - q) * noWait +
    first * (1 - q) * withFirst +
    (1 - first) * q * withStall +
    first * q * Math.min(1, Math.max(0, both))
  );
}

/** P(E + X > t) for E exponential of rate θ and X the path's service (t already less its constant). */
function waitAndServiceSurvival(l: Latency, t: number, theta: number): number {
  const { mu, sigma } = l.service;
  if (l.serviceMeanMs <= 0) return Math.exp(-theta * t);
  if (sigma === 0) {
    const x = Math.exp(mu);
    return x >= t ? 1 : Math.exp(-theta * (t - x));
  }
  const noWait = logNormalSurvival(l.service, t);
  const top = Math.min(Z_REACH, (Math.log(t) - mu) / sigma);
  const floor = t - EXP_REACH / theta;
  const bottom = Math.max(-Z_REACH, floor > 0 ? (Math.log(floor) - mu) / sigma : -Z_REACH);
  let integral = 0;
  if (top > bottom) {
    const width = (top - bottom) / PANELS;
    for (let k = 0; k < PANELS; k++) {
      const mid = bottom + (k + 0.5) * width;
      for (let i = 0; i < GL.x.length; i++) {
        const z = mid + (GL.x[i]! * width) / 2;
        integral += GL.w[i]! * Math.exp(-0.5 * z * z - theta * (t - Math.exp(mu + sigma * z)));
      }
    }
    integral *= width / 2 / Math.sqrt(2 * Math.PI);
  }
  return Math.min(1, noWait + integral);
}

/** Waits less likely than this do not move a percentile we report (p50, p95) by a visible amount. */
const NEGLIGIBLE_WAIT = 1e-7;

/** p-quantile of a latency, ms. */
export function latencyQuantile(l: Latency, p: number): number {
  // A mixture: the search from its mean finds the quantile in a few dozen survivals, fewer than
  // bracketing it by each path's own quantiles would cost.
  // With a stall the closed-form bracket (one wait) does not hold: the search starts from the mean.
  if (l.alternative || l.stall)
    return quantileFromSurvival((t) => latencySurvival(l, t), p, Math.max(1e-6, latencyMean(l)));
  if (l.waitProbability <= NEGLIGIBLE_WAIT && l.serviceMeanMs > 0)
    return l.constantMs + logNormalQuantile(l.service, p);
  return quantileFromSurvival(
    (t) => latencySurvival(l, t),
    p,
    Math.max(1e-6, latencyMean(l)),
    quantileBracket(l, p),
  );
}

/**
 * Bounds of a latency's p-quantile in closed form: wait and service are never negative, so each one's
 * own p-quantile is below it; and P(W + X > a + b) <= P(W > a) + P(X > b), so with each tail at (1 − p) / 2
 * (W's from its exponential, X's from its log-normal) a + b is above it.
 */
function quantileBracket(l: Latency, p: number): QuantileBracket | undefined {
  if (l.serviceMeanMs <= 0) return undefined;
  const half = (1 - p) / 2;
  const waitQuantile = l.waitProbability > 1 - p ? l.waitMeanMs * Math.log(l.waitProbability / (1 - p)) : 0;
  const wait = l.waitProbability > half ? l.waitMeanMs * Math.log(l.waitProbability / half) : 0;
  return {
    lo: l.constantMs + Math.max(logNormalQuantile(l.service, p), waitQuantile),
    hi: l.constantMs + wait + logNormalQuantile(l.service, 1 - half),
  };
}

/**
 * p-quantile of a sum of independent latencies (a sync is a sequence of requests), by matching a
 * log-normal to the sum's mean and variance (Fenton–Wilkinson). One term falls back to the exact form.
 */
export function sumQuantile(terms: Array<{ latency: Latency; count: number }>, p: number): number {
  const active = terms.filter((t) => t.count > 0);
  if (active.length === 1 && active[0]!.count === 1) return latencyQuantile(active[0]!.latency, p);
  let mean = 0;
  let variance = 0;
  for (const { latency: l, count } of active) {
    mean += count * latencyMean(l);
    variance += count * latencyVariance(l);
  }
  if (mean <= 0) return 0;
  return logNormalQuantile(logNormalFromMeanScv(mean, variance / (mean * mean)), p);
}

/** Mean of a sum of independent latencies. */
export function sumMean(terms: Array<{ latency: Latency; count: number }>): number {
  return terms.reduce((s, t) => s + t.count * latencyMean(t.latency), 0);
}

/** M/M/1 closed forms (Kleinrock, "Queueing Systems" vol. 1, 1975, section 3.2): mean wait and response. */
export function mm1(
  arrivalRate: number,
  serviceRate: number,
): { rho: number; meanWait: number; meanResponse: number } {
  const rho = arrivalRate / serviceRate;
  return { rho, meanWait: rho / (serviceRate - arrivalRate), meanResponse: 1 / (serviceRate - arrivalRate) };
}
