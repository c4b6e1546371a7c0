import { describe, expect, it } from 'vitest';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import type { Calibration } from './calibration.ts';
import { cpuQueues } from './cpu.ts';
import { defaultCalibration } from './defaults.ts';
import {
  atMachineSpeed,
  hostBusyShareOf,
  loadAdjustedProbeUs,
  PROBE_LOAD_SLOPE,
  SPEED_EXPONENT,
  speedRatioOf,
} from './machine-speed.ts';
import { machineContext, runContext } from './validate.ts';

/** Numbers chosen, not measured: the rig-db-cpu test's calibration, fitted where a call cost 0.2 µs. */
function cal(): Calibration {
  const c = defaultCalibration();
  c.cpuShareOfDbTime = 0.6;
  const fit = { r2: null, source: 'test' };
  c.cpu = {
    appMsPerRequest: { default: 0.05, 'rest.messages': 0.04 },
    app: { ...fit, perUnit: 0.05, fixedCores: 0.02 },
    database: { ...fit, perUnit: 0.6, fixedCores: 0.01 },
    loadGenerator: {
      ...fit,
      perUnit: 0.05,
      fixedCores: 0.03,
      amortised: { fixedCores: 0.03, msPerRequest: 0.04, wakeMsPerRequest: 0.02, source: 'test' },
    },
    otherCores: 0.05,
    rigCores: 2,
    appSplit: 'test',
    syscallProbeUs: 0.2,
  };
  return c;
}

function record(usPerCall?: number) {
  const group = { cpuSeconds: 6, cpuPercentMean: 10, cpuPercentMax: 10, processes: 'x' };
  return syntheticRunRecord({
    id: 'r',
    scenario: 'full-sync',
    users: 3000,
    endpoints: {},
    machine: { cores: 2, memoryBytes: 1e9, cpuModel: 'synthetic' },
    cpu: {
      windowSeconds: 60,
      host: { cpuSeconds: 30, cpuPercentMean: 50, cpuPercentMax: 50 },
      target: group,
      database: group,
      loadGenerator: group,
      runner: null,
      ...(usPerCall ? { syscallProbe: { usPerCall, samples: 60, method: 'test' } } : {}),
    },
  });
}

describe("the machine's speed (syscall probe) as a run context", () => {
  it('stretches every duration and CPU figure by the ratio, and nothing else', () => {
    // A run whose system calls cost 1.35 times the fit runs': every duration × k = 1.35^0.6 = 1.1973.
    expect(SPEED_EXPONENT).toBe(0.6);
    const k = 1.35 ** 0.6;
    expect(k).toBeCloseTo(1.1973, 4);
    const c = cal();
    const slow = atMachineSpeed(c, 1.35);
    expect(slow.demands.default.meanMs).toBeCloseTo(c.demands.default.meanMs * k, 12);
    expect(slow.demands.default.scv).toBe(c.demands.default.scv);
    expect(slow.connectionOverheadMs).toBeCloseTo(c.connectionOverheadMs * k, 12);
    expect(slow.requestOverheadMs.default).toBeCloseTo(c.requestOverheadMs.default * k, 12);
    expect(slow.cpu!.appMsPerRequest['rest.messages']).toBeCloseTo(0.04 * k, 12);
    expect(slow.cpu!.app.perUnit).toBeCloseTo(0.05 * k, 12);
    expect(slow.cpu!.app.fixedCores).toBeCloseTo(0.02 * k, 12);
    expect(slow.cpu!.loadGenerator.amortised!.wakeMsPerRequest).toBeCloseTo(0.02 * k, 12);
    expect(slow.cpu!.otherCores).toBeCloseTo(0.05 * k, 12);
    // The database's CPU is a share of its statements' time, which stretched already.
    expect(slow.cpu!.database.perUnit).toBe(0.6);
    expect(slow.cpuShareOfDbTime).toBe(0.6);
    expect(atMachineSpeed(c, 1)).toBe(c);
    // Its curve at load likewise: CPU per ms of statement unchanged, only its fixed part stretches.
    c.cpu!.database.amortised = {
      fixedCores: 0.01,
      msPerRequest: 0.4,
      wakeMsPerRequest: 0.3,
      source: 'test',
    };
    const slowDb = atMachineSpeed(c, 1.35).cpu!.database.amortised!;
    expect(slowDb.msPerRequest).toBe(0.4);
    expect(slowDb.wakeMsPerRequest).toBe(0.3);
    expect(slowDb.fixedCores).toBeCloseTo(0.01 * k, 12);
  });

  it("a run's probe over the fit's: its prediction's host load grows with it; the usual machine (the knee's) does not", () => {
    const c = cal();
    // The record's host: 30 CPU seconds over 60 s on 2 cores, a busy share of 0.25; its probe taken back
    // to an idle host is probe / (1 + 0.55 · 0.25) = probe / 1.1375, the fit's 0.2 µs already is.
    expect(PROBE_LOAD_SLOPE).toBe(0.55);
    expect(hostBusyShareOf(record(0.27))).toBeCloseTo(0.25, 12);
    expect(loadAdjustedProbeUs(record(0.27))).toBeCloseTo(0.27 / 1.1375, 12);
    expect(loadAdjustedProbeUs(record())).toBeNull();
    // Within the probe's noise (×1.2 either way) the run is at the fit's speed; beyond it, the ratio less
    // that noise: 0.27 µs idle over 0.2 is ×1.35, read as 1.35 / 1.2 = 1.125; 0.324 µs as 1.35.
    expect(speedRatioOf(c, record(0.27 * 1.1375))).toBeCloseTo(1.125, 12);
    expect(speedRatioOf(c, record(0.324 * 1.1375))).toBeCloseTo(1.35, 12);
    expect(speedRatioOf(c, record(0.23 * 1.1375))).toBe(1);
    expect(speedRatioOf(c, record(0.17 * 1.1375))).toBe(1);
    expect(speedRatioOf(c, record(0.1 * 1.1375))).toBeCloseTo(0.6, 12);
    expect(speedRatioOf(c, record())).toBeNull();
    const { syscallProbeUs: _, ...noRef } = c.cpu!;
    expect(speedRatioOf({ ...c, cpu: noRef }, record(0.27))).toBeNull();
    // By hand (rig-db-cpu.test.ts's load): 1,040 requests/s of 0.05 ms at the target and k6 plus the
    // statements' CPU and 0.05 other: 0.532 cores at the fit's speed, every part × 1.35^0.6 = 1.197
    // at 0.324 µs idle (×1.62, ×1.35 past the probe's noise) (k6's amortised curve moves with it, not quite in proportion).
    const requests = { 'rest.conversations': 20, 'rest.messages': 1000, 'rest.push': 20 };
    const load = (calibration: Calibration) =>
      cpuQueues(calibration, { kind: 'rig', cores: 2 }, requests, requests, 2, null).cpu.offeredLoad;
    const slow = record(0.324 * 1.1375);
    const usual = load(machineContext(c, slow).calibration);
    const asRun = load(runContext(c, slow).calibration);
    expect(load(runContext(c, record(0.2 * 1.1375)).calibration)).toBeCloseTo(usual, 12);
    expect(asRun).toBeGreaterThan(usual * 1.17);
    expect(asRun).toBeLessThan(usual * 1.2);
  });
});
