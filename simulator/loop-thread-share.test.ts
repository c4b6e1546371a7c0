import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/run-record.ts';
import { calibrateLoopThreadShare, loopShareOf, loopThreadShareOf } from './loop-thread-share.ts';

/** A record with only what the share reads: the target process's and its main thread's CPU. */
function run(processSeconds: number, threadSeconds: number | null, window = 60): RunRecord {
  return {
    cpu: {
      windowSeconds: window,
      target: { cpuSeconds: processSeconds, cpuPercentMean: 0, cpuPercentMax: 0, processes: 'test' },
      ...(threadSeconds === null
        ? {}
        : {
            targetThread: {
              windowSeconds: window,
              cpuSeconds: threadSeconds,
              runQueueSeconds: 0,
              timeslices: 0,
            },
          }),
    },
  } as unknown as RunRecord;
}

describe("the event loop's share of the target's CPU", () => {
  it("is the main thread's cores over the process's, each over its own window", () => {
    expect(loopThreadShareOf(run(15, 12))).toBeCloseTo(0.8, 12);
    // A thread window of 50 s beside a process window of 60 s: 12/50 = 0.24 cores of 15/60 = 0.25.
    const r = run(15, 12);
    r.cpu!.targetThread!.windowSeconds = 50;
    expect(loopThreadShareOf(r)).toBeCloseTo(0.96, 12);
    // Never above the whole process; none without the thread's record.
    expect(loopThreadShareOf(run(10, 11))).toBe(1);
    expect(loopThreadShareOf(run(10, null))).toBeNull();
  });

  it('is calibrated as the median over the runs that measured it; absent, the loop carries all of it', () => {
    const cal = calibrateLoopThreadShare([run(10, 7), run(10, 9), run(10, 8), run(10, null)])!;
    expect(cal.share).toBeCloseTo(0.8, 12);
    expect(cal.source).toMatch(/median over 3 fit run\(s\): 0\.800 \(runs 0\.700 to 0\.900\)/);
    expect(calibrateLoopThreadShare([run(10, null)])).toBeNull();
    expect(loopShareOf({ loopThread: cal })).toBeCloseTo(0.8, 12);
    expect(loopShareOf({})).toBe(1);
  });
});
