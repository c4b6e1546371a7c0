import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../core/run-record.ts';
import type { Calibration } from '../../simulator/index.ts';
import { defaultCalibration } from '../../simulator/index.ts';
import { kneeProbeLine } from './knee-probe-line.ts';

/** A probe at `users`, 10 syncs/s of 50 requests each, whose target and k6 used these percents of a core. */
function probe(users: number, target: number, k6: number): RunRecord {
  const p = (pct: number) => ({ cpuSeconds: 0, cpuPercentMean: pct, cpuPercentMax: 0, processes: '' });
  return {
    users,
    durationSeconds: 60,
    endpoints: { 'rest.messages': { count: 30000 } },
    iterations: { completed: 600, dropped: 0, rate: 10, targetRate: 10 },
    cpu: {
      windowSeconds: 60,
      host: { cpuSeconds: 0, cpuPercentMean: 0, cpuPercentMax: 0 },
      target: p(target),
      database: p(10),
      loadGenerator: p(k6),
      runner: null,
    },
  } as unknown as RunRecord;
}

/** A calibration whose target and k6 use `fixed` cores and `ms` per request at every load (lines). */
function lines(targetMs: number, k6Ms: number): Calibration {
  const lineOf = (perUnit: number) => ({ perUnit, fixedCores: 0.01, r2: null, source: 'test' });
  return {
    ...defaultCalibration(),
    cpu: {
      appMsPerRequest: { default: targetMs },
      app: lineOf(targetMs),
      database: lineOf(0.5),
      loadGenerator: lineOf(k6Ms),
      otherCores: 0,
      rigCores: 2,
      appSplit: 'test',
    },
  };
}

describe('the knee probe beside the fit levels’ curves', () => {
  it('measured CPU per iteration against each curve at the probe’s load, and K before and after', () => {
    // 500 requests/s: the fit's target line 0.01 + 500·0.4/1000 = 0.21 cores = 21 ms a sync at 10/s;
    // the probed line 0.01 + 500·0.3/1000 = 0.16 cores = 16 ms. Measured 15 % of a core: 15 ms.
    const line = kneeProbeLine([probe(9000, 15, 12)], lines(0.4, 0.3), lines(0.3, 0.24), 8000, 8800);
    expect(line).toContain('knee probe at 9000 users (1 run(s))');
    expect(line).toContain("target 15.00 ms (the fit's curve 21.00, with the probe 16.00)");
    // k6: 0.01 + 500·0.3/1000 = 0.16 → 16 ms; probed 0.01 + 500·0.24/1000 = 0.13 → 13 ms; measured 12.
    expect(line).toContain("k6 12.00 ms (the fit's curve 16.00, with the probe 13.00)");
    expect(line).toContain('K 8000 from the fit levels, 8800 with the probe');
  });

  it('the median over the probe’s replicates, and says when there was none', () => {
    const line = kneeProbeLine(
      [probe(9000, 15, 12), probe(9000, 17, 14), probe(9000, 30, 10)],
      lines(0.4, 0.3),
      lines(0.3, 0.24),
      8000,
      8800,
    );
    expect(line).toContain('target 17.00 ms');
    expect(line).toContain('k6 12.00 ms');
    expect(kneeProbeLine([], lines(0.4, 0.3), lines(0.4, 0.3), 8000, 8000)).toContain(
      'no knee probe: K 8000 is the fit levels',
    );
  });
});
