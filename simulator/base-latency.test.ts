import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { predictAnalytic } from './analytic.ts';
import { type BaseLatencyPoint, baseLatencyAt, fitBaseLatency } from './base-latency.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { workloadAt } from './workload.ts';

/** Points exactly on floor + fade / r for the median and the p95. */
function onCurve(rates: number[], median: [number, number], p95: [number, number]): BaseLatencyPoint[] {
  return rates.map((r) => ({
    requestsPerSecond: r,
    medianMs: median[0] + median[1] / r,
    p95Ms: p95[0] + p95[1] / r,
  }));
}

describe('fitBaseLatency', () => {
  it('recovers floor and fade of the median and the p95 from runs on the curve', () => {
    const b = fitBaseLatency(onCurve([250, 500, 750], [1.2, 300], [2.5, 600]), 'fading', 'test');
    expect(b.medianMs).toBeCloseTo(1.2, 9);
    expect(b.p95Ms).toBeCloseTo(2.5, 9);
    expect(b.fade!.medianMs).toBeCloseTo(300, 6);
    expect(b.fade!.p95Ms).toBeCloseTo(600, 6);
    expect(b.fade!.minRequestsPerSecond).toBe(250);
    expect(b.fade!.maxRequestsPerSecond).toBe(750);
    expect(b.source).toMatch(/floor \+ fade/);
  });

  it('least squares through noisy runs: the fitted curve passes between them', () => {
    const points = onCurve([250, 250, 500, 500, 750, 750], [1, 200], [2, 500]).map((p, i) => ({
      ...p,
      p95Ms: p.p95Ms * (i % 2 === 0 ? 1.05 : 0.95),
    }));
    const b = fitBaseLatency(points, 'fading', 'test');
    expect(b.fade!.p95Ms).toBeGreaterThan(400);
    expect(b.fade!.p95Ms).toBeLessThan(600);
  });

  it('stays flat (median over runs) when asked, with too few runs, too narrow a load range, or a latency rising with load', () => {
    const falling = onCurve([250, 500, 750], [1.2, 300], [2.5, 600]);
    const flat = fitBaseLatency(falling, 'flat', 'test');
    expect(flat.fade).toBeUndefined();
    expect(flat.medianMs).toBeCloseTo(1.2 + 300 / 500, 12);
    expect(flat.p95Ms).toBeCloseTo(2.5 + 600 / 500, 12);
    expect(fitBaseLatency(falling.slice(0, 2), 'fading', 'test').fade).toBeUndefined();
    expect(
      fitBaseLatency(onCurve([500, 600, 700], [1, 300], [2, 600]), 'fading', 'test').fade,
    ).toBeUndefined();
    const rising = onCurve([250, 500, 750], [1, -100], [2, -200]);
    const b = fitBaseLatency(rising, 'fading', 'test');
    expect(b.fade).toBeUndefined();
    expect(b.p95Ms).toBeCloseTo(2 - 200 / 500, 12);
  });
});

describe('baseLatencyAt', () => {
  const cal = defaultCalibration();
  cal.baseLatency = {
    'rest.conversations': fitBaseLatency(onCurve([250, 500, 750], [1.2, 300], [2.5, 600]), 'fading', 'test'),
    'rest.messages': { medianMs: 0.5, p95Ms: 1.5, source: 'test' },
  };

  it('reads floor + fade / r, held at the lowest measured load below it', () => {
    const at1000 = baseLatencyAt(cal, 'rest.conversations', 1000)!;
    expect(at1000.medianMs).toBeCloseTo(1.2 + 0.3, 9);
    expect(at1000.p95Ms).toBeCloseTo(2.5 + 0.6, 9);
    expect(baseLatencyAt(cal, 'rest.conversations', 10)).toEqual(
      baseLatencyAt(cal, 'rest.conversations', 250),
    );
    // Far beyond the measured range it tends to the floor, never below.
    expect(baseLatencyAt(cal, 'rest.conversations', 1e9)!.p95Ms).toBeCloseTo(2.5, 5);
  });

  it('a flat base is the same at every load; an endpoint without one has none', () => {
    expect(baseLatencyAt(cal, 'rest.messages', 10)).toEqual({ medianMs: 0.5, p95Ms: 1.5 });
    expect(baseLatencyAt(cal, 'rest.messages', 1e6)).toEqual({ medianMs: 0.5, p95Ms: 1.5 });
    expect(baseLatencyAt(cal, 'rest.push', 100)).toBeNull();
  });

  it('keeps the p95 above the median when their floors cross', () => {
    const c = defaultCalibration();
    c.baseLatency = {
      'rest.push': {
        medianMs: 1,
        p95Ms: 0.5,
        fade: { medianMs: 0, p95Ms: 100, minRequestsPerSecond: 100, maxRequestsPerSecond: 300 },
        source: 'test',
      },
    };
    expect(baseLatencyAt(c, 'rest.push', 1e6)!.p95Ms).toBeCloseTo(1.01, 12);
  });

  it('the analytical model reads it at the workload it predicts: an idle endpoint p50 is floor + fade / requests per second', () => {
    const profile = { ...loadProfile('ci-smoke'), messagesPerUserPerMinute: 0 };
    const policy = loadPolicy('current');
    const ctx = { calibration: cal, targets: defaultTargets(), cores: 64, abuse: NO_ABUSE };
    const medians = [1500, 3000, 6000].map((users) => {
      const p = predictAnalytic(profile, policy, users, ctx);
      const r = workloadAt(profile, policy, users).requestsPerSecond;
      const e = p.endpoints.find((x) => x.endpoint === 'rest.conversations')!;
      expect(e.p50Ms!).toBeCloseTo(baseLatencyAt(cal, 'rest.conversations', r)!.medianMs, 2);
      return e.p50Ms!;
    });
    expect(medians[0]!).toBeGreaterThan(medians[1]!);
    expect(medians[1]!).toBeGreaterThan(medians[2]!);
  });
});
