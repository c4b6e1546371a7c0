import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/run-record.ts';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import { calibrate } from './calibrate.ts';
import type { Calibration } from './calibration.ts';
import { defaultCalibration } from './defaults.ts';
import {
  calibrateIdleWake,
  cpuCalibrationAtIdleShare,
  type IdleWake,
  idleShare,
  solveIdleShare,
  toFitIdleShare,
  wakeFactor,
} from './idle-vcpu-wake.ts';

/**
 * A 2-core run of `users` at 10 iterations/s over a 50 s CPU window: the host `host` cores busy and the
 * target, database and k6 each `ms` ms of CPU per iteration (ms / 100 cores at 10 iterations/s).
 */
function run(
  id: string,
  users: number,
  host: number,
  ms: [number, number, number],
  busy?: number,
): RunRecord {
  const w = 50;
  const proc = (x: number) => ({
    cpuSeconds: (x / 100) * w,
    cpuPercentMean: x,
    cpuPercentMax: x,
    processes: 'test',
  });
  return syntheticRunRecord({
    id,
    scenario: 'full-sync',
    users,
    endpoints: {},
    iterations: { completed: 500, dropped: 0, rate: 10, targetRate: 10 },
    machine: { cores: 2, memoryBytes: 24e9, cpuModel: 'synthetic', ...(busy ? { busyCores: busy } : {}) },
    cpu: {
      windowSeconds: w,
      host: { cpuSeconds: host * w, cpuPercentMean: host * 100, cpuPercentMax: host * 100, stealSeconds: 0 },
      target: proc(ms[0]),
      database: proc(ms[1]),
      loadGenerator: proc(ms[2]),
      runner: null,
    },
  });
}

describe('the share of wake-ups that find a vCPU idle', () => {
  it('is 1 − Erlang C: all idle at no load, none at full load, 2/3 with one of two cores busy', () => {
    // Two servers at one Erlang: P(all busy on arrival) = 2u²/(1 + u) with u = 1/2, i.e. 1/3.
    expect(idleShare(2, 0)).toBe(1);
    expect(idleShare(2, 1)).toBeCloseTo(2 / 3, 12);
    expect(idleShare(2, 1.5)).toBeCloseTo(1 - (2 * 0.75 ** 2) / 1.75, 12);
    expect(idleShare(2, 2)).toBe(0);
    expect(idleShare(2, 3)).toBe(0);
  });
});

describe('calibrating the wake cost from a busy-core run', () => {
  it('reads k = (plain / busy − 1) / idle share of the plain runs, per process', () => {
    // Plain: 1 core busy (idle share 2/3), target 20, database 15, k6 12 ms; busy cores: 16, 15, 10.
    const plain = [run('p1', 2000, 1, [20, 15, 12]), run('p2', 2000, 1, [20, 15, 12])];
    const busy = run('b', 2000, 2, [16, 15, 10], 2);
    const w = calibrateIdleWake([...plain, busy], plain)!;
    expect(w.target).toBeCloseTo((20 / 16 - 1) / (2 / 3), 12);
    expect(w.database).toBe(0);
    expect(w.loadGenerator).toBeCloseTo((12 / 10 - 1) / (2 / 3), 12);
    expect(w.fitIdleShare).toBeCloseTo(2 / 3, 12);
  });

  it('weighs the levels by their idle share: least squares through the origin, never below 0', () => {
    // 1,000 users on an idle host (share 1): target 25 % over its busy-core run; 3,000 users at 1.5
    // cores (share 1 − 2·0.75²/1.75): 5 % under it.
    const s = 1 - (2 * 0.75 ** 2) / 1.75;
    const plain = [run('a', 1000, 0, [25, 10, 10]), run('b', 3000, 1.5, [19, 10, 10])];
    const busy = [run('a-b', 1000, 2, [20, 10, 10], 2), run('b-b', 3000, 2, [20, 10, 12], 2)];
    const w = calibrateIdleWake([...plain, ...busy], plain)!;
    expect(w.target).toBeCloseTo((0.25 * 1 + -0.05 * s) / (1 + s * s), 12);
    // k6 is cheaper plain at the second level alone: (0 + (10/12 − 1)·s) < 0, taken as no wake cost.
    expect(w.loadGenerator).toBe(0);
    expect(w.fitIdleShare).toBeCloseTo((1 + s) / 2, 12);
  });

  it('needs a busy-core run and plain runs of its level', () => {
    const plain = [run('p1', 2000, 1, [20, 15, 12])];
    expect(calibrateIdleWake(plain, plain)).toBeNull();
    expect(calibrateIdleWake([...plain, run('b', 3000, 2, [16, 15, 10], 2)], plain)).toBeNull();
  });

  it('takes a run measured at another idle share to the fits’', () => {
    const w: IdleWake = { target: 0.5, database: 0, loadGenerator: 0.3, fitIdleShare: 2 / 3, source: 'test' };
    // A run on an idle host (share 1): its target's 0.24 cores were (1 + 0.5) / (1 + 0.5 × 2/3) of the fits'.
    const r = run('x', 500, 0, [24, 10, 10]);
    expect(toFitIdleShare(r, 'target', 0.24, w)).toBeCloseTo((0.24 * (1 + 0.5 * (2 / 3))) / 1.5, 12);
    expect(toFitIdleShare(r, 'database', 0.1, w)).toBe(0.1);
    expect(toFitIdleShare(r, 'target', 0.24, null)).toBe(0.24);
  });
});

describe('the wake cost at a load', () => {
  const w: IdleWake = { target: 0.4, database: 0.2, loadGenerator: 0.3, fitIdleShare: 0.8, source: 'test' };

  it('moves CPU between idle shares and back', () => {
    expect(wakeFactor(0.4, 0.8, 0.8)).toBe(1);
    expect(wakeFactor(0.4, 0.8, 0)).toBeCloseTo(1 / 1.32, 12);
    expect(wakeFactor(0.4, 0.8, 0.3) * wakeFactor(0.4, 0.3, 0.8)).toBeCloseTo(1, 12);
  });

  it('solves the host load with each process at the idle share of that load', () => {
    const parts = { target: 0.5, database: 0.4, loadGenerator: 0.3 };
    const { busyCores, idleShare: idle } = solveIdleShare(w, 2, parts, 0.1);
    const expected =
      0.1 +
      0.5 * wakeFactor(0.4, 0.8, idle) +
      0.4 * wakeFactor(0.2, 0.8, idle) +
      0.3 * wakeFactor(0.3, 0.8, idle);
    expect(busyCores).toBeCloseTo(expected, 8);
    expect(idle).toBeCloseTo(idleShare(2, busyCores), 12);
    // Busier than at the fits' share (0.8 of wake-ups found a vCPU idle there), so cheaper per request.
    expect(busyCores).toBeLessThan(1.3);
    // No wake cost at all: the parts and the rest, as given.
    const none = { ...w, target: 0, database: 0, loadGenerator: 0 };
    expect(solveIdleShare(none, 2, parts, 0.1).busyCores).toBeCloseTo(1.3, 8);
  });

  it('scales every process’s CPU figure of the calibration by its own factor', () => {
    const base = defaultCalibration();
    const cal: Calibration = {
      ...base,
      cpuShareOfDbTime: 0.5,
      cpu: {
        appMsPerRequest: { default: 2, 'rest.messages': 3 },
        app: { perUnit: 2, fixedCores: 0.02, r2: null, source: 't' },
        database: { perUnit: 0.5, fixedCores: 0.01, r2: null, source: 't' },
        loadGenerator: { perUnit: 1, fixedCores: 0.03, r2: null, source: 't' },
        otherCores: 0.05,
        rigCores: 2,
        appSplit: 't',
        idleWake: w,
      },
    };
    const at = cpuCalibrationAtIdleShare(cal, 0);
    const [t, d, g] = [1 / 1.32, 1 / 1.16, 1 / 1.24];
    expect(at.cpu!.appMsPerRequest['rest.messages']).toBeCloseTo(3 * t, 12);
    expect(at.cpu!.app.fixedCores).toBeCloseTo(0.02 * t, 12);
    expect(at.cpuShareOfDbTime).toBeCloseTo(0.5 * d, 12);
    expect(at.cpu!.loadGenerator.perUnit).toBeCloseTo(g, 12);
    expect(at.cpu!.otherCores).toBe(0.05);
    const { idleWake: _, ...without } = cal.cpu!;
    const plain = { ...cal, cpu: without };
    expect(cpuCalibrationAtIdleShare(plain, 0)).toBe(plain);
  });
});

describe('calibrate() reads busy-core runs for the wake cost only when they carried their load uncongested', () => {
  it('a busy-core run whose requests queued for a connection is not read (its CPU holds the congestion)', () => {
    const series = (waiting: number) =>
      [0, 1, 2].map((t) => ({
        t,
        requests: 0,
        endpoints: {},
        pool: { total: 10, inUse: 2, idle: 0, waiting },
        dbConnections: null,
        upstream: null,
        rateLimited: null,
      }));
    const plain = [run('plain-a', 1000, 0.7, [20, 20, 20]), run('plain-b', 3000, 1.4, [16, 18, 14])];
    const calm = run('busy-a', 1000, 2, [18, 18, 19], 2);
    const congested = run('busy-b', 3000, 2, [16, 30, 14], 2);
    const runs = [
      ...plain.map((record) => ({ record, series: series(0) })),
      { record: calm, series: series(0.05) },
      { record: congested, series: series(0.7) },
    ];
    const cal = calibrate(runs);
    expect(
      cal.notes.some((n) => n.startsWith('not read for the idle-vCPU wake cost: busy-b, congested')),
    ).toBe(true);
    const wake = cal.cpu!.idleWake!;
    expect(wake.source).toMatch(/busy-a against/);
    expect(wake.source).not.toMatch(/busy-b against/);
    // The calm pair alone: plain over busy 20/18 − 1 on the database, at the plain run's idle share.
    expect(wake.database).toBeCloseTo((20 / 18 - 1) / idleShare(2, 0.7), 6);
  });
});
