import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../core/run-record.ts';
import { busyCoreLine, processCpuPerIteration } from './busy-core-cpu.ts';

/** A run at `rate` iterations/s whose target, database and k6 used these percents of a core. */
function run(rate: number, target: number, database: number, k6: number | null): RunRecord {
  const p = (pct: number) => ({ cpuSeconds: 0, cpuPercentMean: pct, cpuPercentMax: 0, processes: '' });
  return {
    iterations: { completed: 0, dropped: 0, rate, targetRate: rate },
    cpu: {
      windowSeconds: 60,
      host: { cpuSeconds: 0, cpuPercentMean: 0, cpuPercentMax: 0 },
      target: p(target),
      database: p(database),
      loadGenerator: k6 === null ? null : p(k6),
      runner: null,
    },
  } as unknown as RunRecord;
}

describe('CPU per iteration on busy cores', () => {
  it('reads each process’s cores over the iterations per second', () => {
    // Session 20, 2,000 users at 6.70 syncs/s: target 22.78 % of a core is 34.0 ms a sync.
    expect(processCpuPerIteration(run(6.7, 22.78, 16.28, null))).toEqual({
      target: expect.closeTo(34.0, 2),
      database: expect.closeTo(24.3, 2),
      k6: null,
    });
  });

  it('sets the busy-core run beside the median of the plain replicates, process by process', () => {
    // Plain: 20, 20, 26 % of a core at 10/s (20, 20, 26 ms; median 20); busy 16 % (16 ms: −20 %).
    const plain = [run(10, 20, 10, 10), run(10, 20, 10, 10), run(10, 26, 10, 10)];
    const line = busyCoreLine(5000, plain, [run(10, 16, 9, 8)]);
    expect(line).toContain('target 16.0 ms (plain 20.0, -20 %)');
    expect(line).toContain('database 9.0 ms (plain 10.0, -10 %)');
    expect(line).toContain('k6 8.0 ms (plain 10.0, -20 %)');
    expect(line).toContain('together 33.0 against 40.0 (-18 %)');
  });

  it('says what is missing', () => {
    expect(busyCoreLine(5000, [run(10, 20, 10, 10)], [])).toContain('no busy-core run');
    expect(busyCoreLine(5000, [], [run(10, 20, 10, 10)])).toContain('no plain run');
  });
});
