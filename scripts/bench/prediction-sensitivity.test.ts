import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../core/run-record.ts';
import {
  cpuPerIteration,
  fitCpuSd,
  fitCpuSpread,
  fixedPointLine,
  machineStateLine,
  sensitivityLine,
} from './prediction-sensitivity.ts';

/** The fields the module reads of a fit run: users, iterations/s and the host's CPU over a window. */
function run(users: number, rate: number, cpuSeconds: number, stealSeconds = 0): RunRecord {
  return {
    users,
    iterations: { completed: 0, dropped: 0, rate, targetRate: rate },
    cpu: { windowSeconds: 100, host: { cpuSeconds, cpuPercentMean: 0, cpuPercentMax: 0, stealSeconds } },
  } as unknown as RunRecord;
}

describe("the fit replicates' spread of CPU per iteration", () => {
  it('reads host busy less stolen, per second, per iteration', () => {
    // (120 − 20) CPU-s over 100 s = 1 core, at 20 iterations/s: 0.05 CPU-s per iteration.
    expect(cpuPerIteration(run(2000, 20, 120, 20))).toBeCloseTo(0.05, 12);
    expect(cpuPerIteration(run(2000, 0, 120))).toBeNull();
  });

  /** Three fit levels of two or three replicates and one of one. */
  const records = [
    // 2,000 users: 0.9, 1.0, 1.1 cores at 20/s: per iteration 0.045-0.055, mean 0.05: ±10 %.
    run(2000, 20, 90),
    run(2000, 20, 100),
    run(2000, 20, 110),
    // 3,500 users: 1.2 and 1.3 cores at 25/s: 0.048 and 0.052, mean 0.05: ±4 %.
    run(3500, 25, 120),
    run(3500, 25, 130),
    // 5,000 users: 1.4 and 1.6 cores at 40/s: 0.035 and 0.04, mean 0.0375: ±6.67 %.
    run(5000, 40, 140),
    run(5000, 40, 160),
    // One replicate alone tells nothing of the spread.
    run(6000, 40, 150),
  ];

  it('takes half the range over the mean within a level, the median over levels', () => {
    expect(fitCpuSpread(records)).toBeCloseTo(0.0025 / 0.0375, 12);
    expect(fitCpuSpread([run(2000, 20, 90)])).toBeNull();
  });

  it('pools the relative sample variances of the levels by their degrees of freedom', () => {
    // 2,000: 0.045, 0.05, 0.055: sample variance 2.5e-5 over 0.05² = 0.01, 2 degrees of freedom.
    // 3,500: 0.048, 0.052: 8e-6 over 0.05² = 0.0032, 1. 5,000: 0.035, 0.04: 1.25e-5 over 0.0375² =
    // 0.0088889, 1. Pooled: √((2 × 0.01 + 0.0032 + 0.0088889) / 4) = √0.0080222 = 0.089567.
    expect(fitCpuSd(records)).toBeCloseTo(0.089567, 5);
    expect(fitCpuSd([run(2000, 20, 90), run(3500, 20, 90)])).toBeNull();
  });
});

describe('the prediction with the fit’s spread of CPU per request', () => {
  it('prints low / as fitted / high per endpoint and whether the measurement lies inside', () => {
    const line = sensitivityLine(
      0.05,
      { 'rest.messages': 4, 'rest.push': 3, healthz: 1 },
      { 'rest.messages': 5, 'rest.push': 3.5, healthz: 1 },
      { 'rest.messages': 7, 'rest.push': null, healthz: 1 },
      { 'rest.messages': 8, 'rest.push': 40 },
    );
    expect(line).toContain('5.0 % less / as fitted / 5.0 % more');
    expect(line).toContain('rest.messages 4.00 / 5.00 / 7.00 (measured 8.00: outside)');
    // Unbounded at the high end: any measurement above the low end is inside.
    expect(line).toContain('rest.push 3.00 / 3.50 / unbounded (measured 40.00: inside)');
    expect(line).not.toContain('healthz');
  });
});

describe('the mean-value fixed point beside the measurement', () => {
  it('prints each endpoint off the measured p95 and the syncs in flight beside the measured', () => {
    // 2026-12-03 13:27, 0.9K of full sync: the fixed point 4.36 ms where 4.14 was measured (+5.3 %).
    const line = fixedPointLine(
      { 'rest.conversations': 4.36, 'rest.push': null, healthz: 1 },
      2.71,
      { 'rest.conversations': 4.14, 'rest.push': 2.91 },
      2.69,
    );
    expect(line).toContain('rest.conversations 4.36 (+5.3%)');
    expect(line).toContain('rest.push unbounded');
    expect(line).toContain('in flight 2.71 (measured 2.69)');
    expect(line).not.toContain('healthz');
    expect(fixedPointLine({}, 1, {}, null)).toMatch(/; in flight 1\.00$/);
  });
});

describe('the prediction over the machine states', () => {
  it('prints the pooled p95 off the measured, and the range of the states', () => {
    const line = machineStateLine(
      0.066,
      { 'rest.messages': 30.55, 'rest.push': null, healthz: 1 },
      [
        { 'rest.messages': 6.7, 'rest.push': 4.7 },
        { 'rest.messages': 94.4, 'rest.push': null },
      ],
      { 'rest.messages': 27.57, 'rest.push': 11.09 },
    );
    expect(line).toContain('σ 6.6 % of CPU per request, 2 equally likely');
    expect(line).toContain('rest.messages 30.55 (+10.8%) [states 6.70-94.40]');
    expect(line).toContain('rest.push unbounded [states 4.70-unbounded]');
    expect(line).not.toContain('healthz');
  });
});
