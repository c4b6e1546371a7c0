import { describe, expect, it } from 'vitest';
import { competitionStretch, processorSharingWithoutThread, threadCpuWait } from './thread-host.ts';
import { calibrateThreadWake, wakeStretchOfRun } from './thread-wake.ts';

describe("the event-loop thread's wait beyond processor sharing", () => {
  it("reads a run's share as run-queue time over CPU less the competition's stretch (by hand)", () => {
    // CPU 0.2, run queue 0.09, competition ×1.1: 0.09 / 0.2 − 0.1 = 0.35.
    expect(wakeStretchOfRun({ cpuShare: 0.2, runQueueShare: 0.09, competitionStretch: 1.1 })).toBeCloseTo(
      0.35,
      12,
    );
    expect(wakeStretchOfRun({ cpuShare: 0, runQueueShare: 0.09, competitionStretch: 1.1 })).toBeNull();
  });

  it('takes the median over runs, never below 0, with the runs as its range', () => {
    const runs = [
      { cpuShare: 0.2, runQueueShare: 0.09, competitionStretch: 1.1 }, // 0.35
      { cpuShare: 0.4, runQueueShare: 0.2, competitionStretch: 1.2 }, // 0.30
      { cpuShare: 0.5, runQueueShare: 0.45, competitionStretch: 1.5 }, // 0.40
    ];
    const wake = calibrateThreadWake(runs)!;
    expect(wake.stretch).toBeCloseTo(0.35, 12);
    expect(wake.range[0]).toBeCloseTo(0.3, 12);
    expect(wake.range[1]).toBeCloseTo(0.4, 12);
    expect(wake.source).toContain('3 fit run(s)');
    expect(calibrateThreadWake([{ cpuShare: 0.2, runQueueShare: 0, competitionStretch: 1.5 }])!.stretch).toBe(
      0,
    );
    expect(calibrateThreadWake([])).toBeNull();
  });

  it("adds the share to the thread's stretch, not to a turn's own wait (by hand)", () => {
    // Host 1.3 cores busy of 2, the thread's own 0.5: others A' = 0.8, C' = 0.64 / 2.8, stretch
    // 1 + C'/(2 − 0.8) = 1.190476; with a share of 0.3, 1.490476.
    const plain = processorSharingWithoutThread(1.3, 0.5, 2);
    const woken = processorSharingWithoutThread(1.3, 0.5, 2, 0.3);
    const c = 0.64 / 2.8;
    expect(competitionStretch(plain)).toBeCloseTo(1 + c / 1.2, 12);
    expect(competitionStretch(woken) + woken.wakeStretch).toBeCloseTo(1.3 + c / 1.2, 12);
    // A turn of 0.2 ms waits processor sharing's C' × 0.2 / 1.2 on average: the wake-up share is the
    // loop's (each pass waits it once, event-loop.ts), not counted again here.
    const w = threadCpuWait(woken, 0.2)!;
    expect(w.probability).toBeCloseTo(c, 12);
    expect(w.probability * w.meanMs).toBeCloseTo((c * 0.2) / 1.2, 12);
  });
});
