import { describe, expect, it } from 'vitest';
import { Random } from './des/random.ts';
import {
  logNormalFromMedianP95,
  logNormalMean,
  logNormalSurvival,
  normalCdf,
  normalQuantile,
  poissonOverflowShare,
  quantileFromSurvival,
} from './distributions.ts';
import { erlangC } from './erlang-c.ts';
import type { Latency } from './queueing.ts';
import {
  latency,
  latencyMean,
  latencyMixture,
  latencyQuantile,
  latencySurvival,
  latencyVariance,
  queue,
  waitQuantile,
  waitSurvival,
} from './queueing.ts';

describe('distributions', () => {
  it('normal quantile and cdf invert each other; z(0.95) = 1.6448536 (standard tables)', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 7);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    for (const p of [0.001, 0.02, 0.3, 0.7, 0.99, 0.9999])
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });

  it('log-normal from median 500 and p95 1500: mean 625 ms (what the upstream holds a socket for)', () => {
    const d = logNormalFromMedianP95(500, 1500);
    expect(d.sigma).toBeCloseTo(Math.log(3) / 1.6448536269514722, 6);
    expect(logNormalMean(d)).toBeCloseTo(500 * Math.exp((d.sigma * d.sigma) / 2), 9);
    expect(logNormalMean(d)).toBeGreaterThan(620);
    expect(logNormalSurvival(d, 1500)).toBeCloseTo(0.05, 6);
  });

  it('Poisson overflow share equals the direct sum E[max(N − L, 0)] / E[N]', () => {
    for (const [mean, limit] of [
      [2, 20],
      [20, 20],
      [50, 20],
      [166.7, 100],
    ] as const) {
      let direct = 0;
      let pk = Math.exp(-mean);
      for (let k = 0; k < 2000; k++) {
        if (k > limit) direct += (k - limit) * pk;
        pk *= mean / (k + 1);
      }
      expect(poissonOverflowShare(mean, limit)).toBeCloseTo(direct / mean, 9);
    }
    expect(poissonOverflowShare(0, 5)).toBe(0);
  });
});

describe('queue', () => {
  it('M/M/c: P(wait) is Erlang C, Wq = C·S/(c − A), P(W > t) = C·e^{−(c−A)t/S}', () => {
    const q = queue(10, 80, 100); // A = 8 Erlangs
    const c = erlangC(10, 8);
    expect(q.offeredLoad).toBeCloseTo(8, 12);
    expect(q.utilisation).toBeCloseTo(0.8, 12);
    expect(q.probabilityOfWaiting).toBeCloseTo(c, 12);
    expect(q.meanWaitMs!).toBeCloseTo((c * 100) / 2, 9);
    expect(waitSurvival(q, 30)).toBeCloseTo(c * Math.exp((-2 * 30) / 100), 12);
    expect(waitQuantile(q, 0.95)!).toBeCloseTo((100 / 2) * Math.log(c / 0.05), 9);
    expect(q.capacityPerSecond).toBeCloseTo(100, 9);
  });

  it('saturates at A >= c: waits unbounded (null), excess share 1 − c/A', () => {
    const q = queue(50, 200, 500); // A = 100 on 50
    expect(q.saturated).toBe(true);
    expect(q.meanWaitMs).toBeNull();
    expect(waitQuantile(q, 0.95)).toBeNull();
    expect(q.excessShare).toBeCloseTo(0.5, 12);
  });

  it('latency survival of wait + log-normal service matches an independent fine trapezoid integration', () => {
    const l = latency(2, [{ probability: 0.4, meanMs: 30 }], 20, 0.5);
    for (const t of [10, 25, 60, 150]) expect(latencySurvival(l, t)).toBeCloseTo(trapezoidSurvival(l, t), 6);
    // The quantile inverts the survival function.
    const p95 = latencyQuantile(l, 0.95);
    expect(latencySurvival(l, p95)).toBeCloseTo(0.05, 7);
  });

  it('p50 and p95 match the trapezoid for narrow and wide services, rare and certain, short and long waits', () => {
    for (const [median, p95] of [
      [3.6, 5],
      [20, 60],
      [500, 3000],
    ] as const) {
      const service = logNormalFromMedianP95(median, p95);
      const mean = logNormalMean(service);
      for (const probability of [0.01, 0.5, 0.99])
        for (const waitRatio of [0.01, 0.1, 1, 100]) {
          const l = latency(
            2,
            [{ probability, meanMs: waitRatio * mean }],
            mean,
            Math.exp(service.sigma ** 2) - 1,
          );
          for (const p of [0.5, 0.95]) {
            const at = `service ${median}/${p95} ms, wait ${probability} × ${waitRatio}× mean, p${p * 100}`;
            expect(Math.abs(trapezoidSurvival(l, latencyQuantile(l, p)) - (1 - p)), at).toBeLessThan(2e-5);
          }
        }
    }
  });
});

/** P(latency > t) by a 200,000-step trapezoid over the wait density: the independent oracle. */
function trapezoidSurvival(l: Latency, t: number): number {
  const theta = 1 / l.waitMeanMs;
  const s = t - l.constantMs;
  const n = 200_000;
  const h = s / n;
  let integral = 0;
  for (let i = 0; i <= n; i++) {
    const w = i * h;
    const f = theta * Math.exp(-theta * w) * logNormalSurvival(l.service, s - w);
    integral += (i === 0 || i === n ? 0.5 : 1) * f;
  }
  const pw = l.waitProbability;
  return (1 - pw) * logNormalSurvival(l.service, s) + pw * (Math.exp(-theta * s) + integral * h);
}

describe('quantiles from survival functions', () => {
  it('an exponential survival e^(−x/10): p95 = 10 ln 20 with no bracket, a right one, and a wrong one', () => {
    const survival = (x: number) => Math.exp(-x / 10);
    const exact = 10 * Math.log(20);
    expect(quantileFromSurvival(survival, 0.95, 1)).toBeCloseTo(exact, 5);
    expect(quantileFromSurvival(survival, 0.95, 1, { lo: 25, hi: 35 })).toBeCloseTo(exact, 5);
    // Both ends on the wrong side: the search widens to [0, …] and still finds it.
    expect(quantileFromSurvival(survival, 0.95, 1, { lo: 31, hi: 32 })).toBeCloseTo(exact, 5);
    expect(quantileFromSurvival(survival, 0.95, 1, { lo: 1, hi: 2 })).toBeCloseTo(exact, 5);
  });

  it('latency quantiles invert the survival from rare short waits to frequent long ones (p50, p95, p99)', () => {
    const service = logNormalFromMedianP95(20, 60);
    for (const [waitProbability, waitMeanMs] of [
      [1e-5, 1],
      [0.01, 1],
      [0.03, 400],
      [0.1, 5],
      [0.5, 50],
      [0.9, 500],
      [1, 2000],
    ] as const) {
      const l = latency(
        3,
        [{ probability: waitProbability, meanMs: waitMeanMs }],
        logNormalMean(service),
        1.5,
      );
      for (const p of [0.5, 0.95, 0.99]) {
        const q = latencyQuantile(l, p);
        expect(latencySurvival(l, q), `wait ${waitProbability}×${waitMeanMs} ms, p${p * 100}`).toBeCloseTo(
          1 - p,
          6,
        );
      }
    }
  });
});

describe('a latency of two paths (latencyMixture)', () => {
  // An empty push (median 0.6 ms, p95 0.8) and a push with a row (median 1.4, p95 2.0), log-normal each.
  const empty = logNormalFromMedianP95(0.6, 0.8);
  const rows = logNormalFromMedianP95(1.4, 2.0);
  const path = (d: { mu: number; sigma: number }): Latency => {
    const m = logNormalMean(d);
    return latency(0, [], m, (Math.exp(d.sigma * d.sigma) - 1) * 1);
  };

  it("a quantile the main path alone reaches is the main path's own at p / (1 − s) (disjoint paths)", () => {
    // 20 % take the slow path, whose lowest 1e-6 lies above the fast path's p62.5: the median of the
    // mixture is the fast path's 0.5 / 0.8 = 0.625 quantile, e^(μ + σ·z(0.625)), z(0.625) = 0.318639 (tables).
    const fast = logNormalFromMedianP95(1, 1.5);
    const slow = logNormalFromMedianP95(100, 150);
    const mixed = latencyMixture(path(fast), 0.2, path(slow));
    expect(latencyQuantile(mixed, 0.5)).toBeCloseTo(Math.exp(fast.mu + fast.sigma * 0.318639), 4);
    // Mean: 0.8·fast's + 0.2·slow's.
    expect(latencyMean(mixed)).toBeCloseTo(0.8 * logNormalMean(fast) + 0.2 * logNormalMean(slow), 9);
  });

  it('p95 of 5 % pushes with a row matches 400,000 draws of the two paths, and moves with the share', () => {
    let s = 12345;
    const uniform = () => {
      s = (s * 1664525 + 1013904223) % 2 ** 32;
      return (s + 0.5) / 2 ** 32;
    };
    const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    for (const share of [0.03, 0.05, 0.07]) {
      const draws = Float64Array.from({ length: 400_000 }, () => {
        const d = uniform() < share ? rows : empty;
        return Math.exp(d.mu + d.sigma * gauss());
      }).sort();
      const drawn = draws[Math.floor(0.95 * draws.length)]!;
      const predicted = latencyQuantile(latencyMixture(path(empty), share, path(rows)), 0.95);
      expect(predicted / drawn, `share ${share}`).toBeGreaterThan(0.985);
      expect(predicted / drawn, `share ${share}`).toBeLessThan(1.015);
    }
    // Below 5 % the p95 stays on the fast path's tail (near its 0.95 / 0.97 = 97.9th percentile,
    // 0.6·e^(0.1749·2.034) = 0.856 ms), above it on the slow path's head (its lowest third, >1 ms).
    const at = (share: number) => latencyQuantile(latencyMixture(path(empty), share, path(rows)), 0.95);
    expect(at(0.03)).toBeLessThan(0.9);
    expect(at(0.07)).toBeGreaterThan(1.0);
  });

  it('a variance is the mixture second moment less its mean squared; share 0 is the main path', () => {
    const a = path(empty);
    const b = path(rows);
    const m = latencyMixture(a, 0.3, b);
    const ma = latencyMean(a);
    const mb = latencyMean(b);
    const second = 0.7 * (latencyVariance(a) + ma * ma) + 0.3 * (latencyVariance(b) + mb * mb);
    expect(latencyVariance(m)).toBeCloseTo(second - (0.7 * ma + 0.3 * mb) ** 2, 12);
    expect(latencyMixture(a, 0, b)).toEqual(a);
    expect(() => latencyMixture(a, 1.5, b)).toThrow(/share/);
  });
});

describe('a latency with a stall kept apart (the event loop preempted)', () => {
  // A constant 0.2 ms, a wait met by 40 % (mean 0.3 ms), a stall met by 6 % (mean 1.5 ms) and a
  // log-normal service of median 1, p95 2 ms: checked against 400,000 seeded draws of the same sum.
  const service = logNormalFromMedianP95(1, 2);
  const mean = logNormalMean(service);
  const scv = Math.expm1(service.sigma * service.sigma);
  const l = latency(
    0.2,
    [
      { probability: 0.4, meanMs: 0.3 },
      { probability: 0.06, meanMs: 1.5, stall: true },
    ],
    mean,
    scv,
  );
  const draws = (() => {
    const r = new Random(53);
    const xs = new Float64Array(400_000);
    for (let i = 0; i < xs.length; i++) {
      const x = Math.exp(service.mu + service.sigma * r.normal());
      const w = r.uniform() < 0.4 ? r.exponential(0.3) : 0;
      const s = r.uniform() < 0.06 ? r.exponential(1.5) : 0;
      xs[i] = 0.2 + x + w + s;
    }
    return xs.sort();
  })();

  it('keeps the stall apart from the merged wait', () => {
    expect(l.waitProbability).toBeCloseTo(0.4, 12);
    expect(l.stall!.probability).toBeCloseTo(0.06, 12);
    expect(l.stall!.meanMs).toBeCloseTo(1.5, 12);
  });

  it('has the survival, mean, variance and p95 / p99 of the sum it stands for', () => {
    for (const t of [1, 2, 3, 5, 8]) {
      const above = draws.length - draws.findIndex((x) => x > t);
      expect(latencySurvival(l, t)).toBeCloseTo(above / draws.length, 2);
    }
    const m = draws.reduce((s, x) => s + x, 0) / draws.length;
    const v = draws.reduce((s, x) => s + (x - m) ** 2, 0) / draws.length;
    expect(latencyMean(l) / m).toBeCloseTo(1, 2);
    expect(latencyVariance(l) / v).toBeCloseTo(1, 1);
    for (const p of [0.95, 0.99])
      expect(latencyQuantile(l, p) / draws[Math.floor(p * draws.length)]!).toBeCloseTo(1, 2);
  });

  it('is the one-wait latency when the stall rate meets the wait rate (no division by zero)', () => {
    const same = latency(
      0,
      [
        { probability: 0.5, meanMs: 1 },
        { probability: 0.5, meanMs: 1, stall: true },
      ],
      0,
      1,
    );
    // E₁ + E₂ of equal rates is Erlang-2: P(> t) = e^{−t}(1 + t); the mixture of the four cases.
    const t = 2;
    const exact = 0.25 * Math.exp(-t) * 2 + 0.25 * Math.exp(-t) * (1 + t);
    expect(latencySurvival(same, t)).toBeCloseTo(exact, 3);
  });
});
