import { describe, expect, it } from 'vitest';
import type { CpuFit } from './calibrate-cpu.ts';
import { fitLinearNonNegative } from './calibrate-cpu.ts';
import { coresAt, cpuCalibrationAt, fitAmortisedCpu, msPerRequestAt } from './cpu-at-load.ts';
import { defaultCalibration } from './defaults.ts';

const line = (perUnit: number, fixedCores: number): CpuFit => ({
  perUnit,
  fixedCores,
  r2: null,
  source: 'test',
});

describe('a process whose wake-ups are amortised with load (cpu-at-load.ts)', () => {
  // By hand: F 0.05 cores, x 0.1 ms, w 0.4 ms; at 1,000 requests/s C = (0.05 + 0.5)/(1 + 0.4) = 0.392857,
  // and indeed 0.05 + 1000·(0.1 + 0.4·(1 − 0.392857))/1000 = 0.392857; CPU per request 0.342857 ms.
  const fit: CpuFit = {
    ...line(0.3, 0.05),
    amortised: { fixedCores: 0.05, msPerRequest: 0.1, wakeMsPerRequest: 0.4, source: 'test' },
  };

  it('cores and CPU per request at a load, by hand', () => {
    expect(coresAt(fit, 1000)).toBeCloseTo(0.55 / 1.4, 12);
    expect(msPerRequestAt(fit, 1000)).toBeCloseTo(0.1 + 0.4 * (1 - 0.55 / 1.4), 12);
    // Idle: every request pays the wake-up; a line stays a line.
    expect(msPerRequestAt(fit, 0)).toBeCloseTo(0.1 + 0.4 * 0.95, 12);
    expect(coresAt(line(0.3, 0.05), 1000)).toBeCloseTo(0.35, 12);
    expect(msPerRequestAt(line(0.3, 0.05), 1000)).toBe(0.3);
  });

  it('the fit recovers F, x and w from runs made with them, and gives up on a straight line', () => {
    const runs = [200, 500, 1000, 1500].map((r) => ({ requestsPerSecond: r, cores: coresAt(fit, r) }));
    const a = fitAmortisedCpu(runs)!;
    expect(a.fixedCores).toBeCloseTo(0.05, 9);
    expect(a.msPerRequest).toBeCloseTo(0.1, 9);
    expect(a.wakeMsPerRequest).toBeCloseTo(0.4, 9);
    const straight = [200, 500, 1000].map((r) => ({ requestsPerSecond: r, cores: 0.02 + r * 0.0003 }));
    expect(fitAmortisedCpu(straight)).toBeNull();
    expect(fitAmortisedCpu(runs.slice(0, 2))).toBeNull();
    // Kept as a line when asked (a knee probe among the points): F 0.02 cores, 0.3 ms a request.
    const kept = fitAmortisedCpu(straight, true)!;
    expect(kept.fixedCores).toBeCloseTo(0.02, 9);
    expect(kept.msPerRequest).toBeCloseTo(0.0003 * 1000, 9);
    expect(kept.wakeMsPerRequest).toBe(0);
  });

  it('a point of weight 2 counts as that point twice', () => {
    const noisy = [
      { requestsPerSecond: 200, cores: 0.16 },
      { requestsPerSecond: 500, cores: 0.27 },
      { requestsPerSecond: 1000, cores: 0.41 },
      { requestsPerSecond: 1500, cores: 0.5 },
    ];
    const twice = fitAmortisedCpu([...noisy, noisy[3]!])!;
    const weighted = fitAmortisedCpu([...noisy.slice(0, 3), { ...noisy[3]!, weight: 2 }])!;
    expect(weighted.fixedCores).toBeCloseTo(twice.fixedCores, 9);
    expect(weighted.msPerRequest).toBeCloseTo(twice.msPerRequest, 9);
    expect(weighted.wakeMsPerRequest).toBeCloseTo(twice.wakeMsPerRequest, 9);
    // And it moves the fit: the same points unweighted give another curve.
    expect(fitAmortisedCpu(noisy)!.wakeMsPerRequest).not.toBeCloseTo(twice.wakeMsPerRequest, 6);
  });

  it('the calibration at a load scales every endpoint of the target alike and k6 by its own curve', () => {
    const cal = defaultCalibration();
    cal.cpu = {
      appMsPerRequest: { default: 0.3, 'rest.conversations': 0.9 },
      app: fit,
      database: line(0.6, 0.01),
      loadGenerator: line(0.25, 0.03),
      otherCores: 0,
      rigCores: 2,
      appSplit: 'test',
    };
    const at = cpuCalibrationAt(cal, 1000);
    const eff = 0.1 + 0.4 * (1 - 0.55 / 1.4);
    expect(at.cpu!.app.perUnit).toBeCloseTo(eff, 12);
    expect(at.cpu!.app.fixedCores).toBe(0.05);
    expect(at.cpu!.app.amortised).toBeUndefined();
    expect(at.cpu!.appMsPerRequest['rest.conversations']).toBeCloseTo(0.9 * (eff / 0.3), 12);
    expect(at.cpu!.loadGenerator).toEqual(cal.cpu.loadGenerator);
    cal.cpu.app = line(0.3, 0.05);
    expect(cpuCalibrationAt(cal, 1000)).toBe(cal);
  });

  it("the calibration at a load reads the database's share of statement time at its statement load, by hand", () => {
    const cal = defaultCalibration();
    // Per ms of statement time: F 0.01 cores, x 0.3 and w 0.4 ms; at 500 ms of statements a second
    // C = (0.01 + 0.5·0.7)/(1 + 0.2) = 0.3, so 0.3 + 0.4·0.7 = 0.58 ms a ms; the line said 0.6.
    cal.cpuShareOfDbTime = 0.6;
    cal.cpu = {
      appMsPerRequest: { default: 0.3 },
      app: line(0.3, 0.05),
      database: {
        ...line(0.6, 0.01),
        amortised: { fixedCores: 0.01, msPerRequest: 0.3, wakeMsPerRequest: 0.4, source: 'test' },
      },
      loadGenerator: line(0.25, 0.03),
      otherCores: 0,
      rigCores: 2,
      appSplit: 'test',
    };
    const at = cpuCalibrationAt(cal, 1000, 500);
    expect(at.cpuShareOfDbTime).toBeCloseTo(0.58, 12);
    expect(at.cpu!.database.perUnit).toBeCloseTo(0.58, 12);
    expect(at.cpu!.database.fixedCores).toBe(0.01);
    expect(at.cpu!.database.amortised).toBeUndefined();
    expect(at.cpu!.app).toEqual(cal.cpu.app);
    // A share that carries a congestion cost (db-congestion.ts) moves by the same ratio.
    expect(cpuCalibrationAt({ ...cal, cpuShareOfDbTime: 0.66 }, 1000, 500).cpuShareOfDbTime).toBeCloseTo(
      0.66 * (0.58 / 0.6),
      12,
    );
  });

  it('measured: the database of launch-mix, fitted on three levels and the knee probe, carried to 0.9K', () => {
    // bench:knee 2026-12-05 11:27 (launch-mix, 2-core rig): statements per second and the database's
    // cores, each level's replicates averaged: fit levels 400, 800 and 1,200 users, the knee probe at
    // 2,382, and the held 0.9K (2,144 users).
    const fitLevels = [
      { r: 127, cores: (0.072 + 0.071 + 0.071) / 3 },
      { r: 247, cores: (0.135 + 0.152 + 0.134) / 3 },
      { r: 375, cores: (0.213 + 0.183 + 0.194) / 3 },
    ];
    const probe = { r: 740, cores: (0.317 + 0.37) / 2 };
    const held = { r: 660, cores: (0.283 + 0.301) / 2 };
    const l = fitLinearNonNegative(fitLevels.map((p) => ({ x: p.r, y: p.cores })));
    const straight = l.fixed + l.perUnit * held.r;
    const amortised = fitAmortisedCpu(
      [...fitLevels, probe].map((p) => ({ requestsPerSecond: p.r, cores: p.cores })),
    )!;
    const curved = coresAt({ ...line(0, 0), amortised }, held.r);
    // The line through the fit levels overshoots by more than 15 %; the curve is within 8 %.
    expect(straight / held.cores - 1).toBeGreaterThan(0.15);
    expect(amortised.wakeMsPerRequest).toBeGreaterThan(0);
    expect(Math.abs(curved / held.cores - 1)).toBeLessThan(0.08);
  });

  it('measured: fitted on three runs, it carries the target and k6 to the knee where the line overshoots', () => {
    // bench:knee 2026-12-01 20:08 (full sync, 2-core rig, embedded PostgreSQL): requests/s and the
    // measured cores of the target and of k6 at the fit levels (1,500, 3,000, 4,500 users) and at
    // 8,532 users (1,523 requests/s).
    const fitRuns = [
      { r: 279, target: 0.15, k6: 0.115 },
      { r: 537, target: 0.239, k6: 0.21 },
      { r: 807, target: 0.315, k6: 0.282 },
    ];
    const held = { r: 1523, target: 0.449, k6: 0.387 };
    for (const who of ['target', 'k6'] as const) {
      const points = fitRuns.map((p) => ({ requestsPerSecond: p.r, cores: p[who] }));
      const amortised = fitAmortisedCpu(points)!;
      const l = fitLinearNonNegative(points.map((p) => ({ x: p.requestsPerSecond, y: p.cores })));
      const straight = l.fixed + l.perUnit * held.r;
      const curved = coresAt({ ...line(0, 0), amortised }, held.r);
      // The line overshoots by a fifth or more; the curve by less than half as much, within 15 %.
      expect(straight / held[who] - 1, `${who} line`).toBeGreaterThan(0.2);
      expect(Math.abs(curved - held[who]), `${who} amortised`).toBeLessThan(0.5 * (straight - held[who]));
      expect(Math.abs(curved / held[who] - 1), `${who} amortised`).toBeLessThan(0.15);
    }
  });
});
