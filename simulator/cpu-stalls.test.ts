import { describe, expect, it } from 'vitest';
import type { Calibration } from './calibration.ts';
import { cpuQueues, cpuWaitsOf, statementCpuWaitMs } from './cpu.ts';
import { STALL_RESIDUAL_MS, stallHoldMs, stallShare, stallWaits } from './cpu-stalls.ts';
import { defaultCalibration } from './defaults.ts';

/** A rig calibration (CPU figures chosen, not measured). */
function rig(): Calibration {
  const c = defaultCalibration();
  c.cpuShareOfDbTime = 0.6;
  const fit = { fixedCores: 0, r2: null, source: 'test' };
  c.cpu = {
    appMsPerRequest: { default: 0.35 },
    app: { ...fit, perUnit: 0.35 },
    database: { ...fit, perUnit: 0.6 },
    loadGenerator: { ...fit, perUnit: 0.25 },
    otherCores: 0.05,
    stolenCores: 0,
    rigCores: 2,
    appSplit: 'test',
  };
  return c;
}

describe('stolen time as stalls of a vCPU', () => {
  it('stalls a vCPU for the stolen share of the time: 0.4 of 2 cores is 0.2', () => {
    expect(stallShare(0.4, 2)).toBeCloseTo(0.2, 12);
    expect(stallShare(0, 2)).toBe(0);
    expect(stallShare(3, 2)).toBe(1);
  });

  it('gives each wake the share as its probability and the residual as its mean; a hold 2 wakes of it', () => {
    expect(stallWaits(0.2, 3)).toEqual([
      { probability: 0.2, meanMs: STALL_RESIDUAL_MS },
      { probability: 0.2, meanMs: STALL_RESIDUAL_MS },
      { probability: 0.2, meanMs: STALL_RESIDUAL_MS },
    ]);
    expect(stallWaits(0, 3)).toEqual([]);
    // 2 wakes × 0.2 × 5.5 ms = 2.2 ms
    expect(stallHoldMs(0.2)).toBeCloseTo(2.2, 12);
  });

  it("on the rig: a request's path has 4 stall waits, a statement's 2, and the hold 2.2 ms more at 0.4 stolen cores", () => {
    const cal = rig();
    const at = (stolenCores: number) =>
      cpuQueues(
        cal,
        { kind: 'rig', cores: 2, stolenCores },
        { 'rest.messages': 100 },
        { 'rest.messages': 100 },
        2,
        null,
      );
    const stolen = at(0.4);
    expect(stolen.stallShare).toBeCloseTo(0.2, 12);
    const stalls = (ws: { probability: number; meanMs: number }[]) =>
      ws.filter((w) => w.probability === 0.2 && w.meanMs === STALL_RESIDUAL_MS).length;
    expect(stalls(cpuWaitsOf(stolen, cal, 'rest.messages', 1, 'rest.messages'))).toBe(4);
    expect(stalls(cpuWaitsOf(stolen, cal, 'rest.messages', 1, null))).toBe(2);
    // The same queues without the stalls: the hold differs by the stalls alone.
    const without = { ...stolen, stallShare: 0 };
    expect(
      statementCpuWaitMs(stolen, cal, 'rest.messages') - statementCpuWaitMs(without, cal, 'rest.messages'),
    ).toBeCloseTo(2.2, 12);
  });

  it('a deployment has none', () => {
    const cal = rig();
    const q = cpuQueues(
      cal,
      { kind: 'deployment' },
      { 'rest.messages': 100 },
      { 'rest.messages': 100 },
      2,
      null,
    );
    expect(q.stallShare).toBe(0);
    expect(
      cpuWaitsOf(q, cal, 'rest.messages', 1, 'rest.messages').every((w) => w.meanMs !== STALL_RESIDUAL_MS),
    ).toBe(true);
  });
});
