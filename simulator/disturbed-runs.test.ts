import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/run-record.ts';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import { calibrate } from './calibrate.ts';
import { hostCpuMsPerRequest, withoutDisturbedRuns } from './disturbed-runs.ts';

/** A 60 s run of `users` sending 100 rest.messages requests/s on a host `hostCores` busy, `stolen` cores stolen. */
function replicate(id: string, users: number, hostCores: number | null, stolen = 0): { record: RunRecord } {
  const seconds = 60;
  const window = 62;
  return {
    record: syntheticRunRecord({
      id,
      scenario: 'full-sync',
      users,
      durationSeconds: seconds,
      endpoints: {
        'rest.messages': {
          count: 100 * seconds,
          errorRate: 0,
          statuses: { '200': 100 * seconds },
          mean: 1,
          p50: 0.8,
          p95: 2,
          p99: 3,
          max: 4,
        },
      },
      ...(hostCores === null
        ? {}
        : {
            cpu: {
              windowSeconds: window,
              host: {
                cpuSeconds: hostCores * window,
                cpuPercentMean: 0,
                cpuPercentMax: 0,
                stealSeconds: stolen * window,
              },
              target: null,
              database: null,
              loadGenerator: null,
              runner: null,
            },
          }),
    }),
  };
}

describe('replicates of a disturbed machine', () => {
  it('reads the host CPU per request: cores × 1000 / requests per second', () => {
    // 0.35 cores over 100 requests/s = 3.5 ms each.
    expect(hostCpuMsPerRequest(replicate('a', 900, 0.35).record)).toBeCloseTo(3.5, 9);
    expect(hostCpuMsPerRequest(replicate('a', 900, null).record)).toBeNull();
  });

  it('sets aside a replicate more than 20% above its level median, keeps the rest in order', () => {
    // 3.35, 3.40 and 4.32 ms per request: median 3.40, and 4.32 / 3.40 = 1.27.
    const runs = [
      replicate('900-r1', 900, 0.335),
      replicate('300-r1', 300, 0.9),
      replicate('900-r2', 900, 0.432),
      replicate('900-r3', 900, 0.34),
    ];
    const { kept, setAside } = withoutDisturbedRuns(runs);
    expect(kept.map((r) => r.record.id)).toEqual(['900-r1', '300-r1', '900-r3']);
    expect(setAside).toHaveLength(1);
    expect(setAside[0]!.id).toBe('900-r2');
    expect(setAside[0]!.reason).toContain(
      '4.32 ms per request, 27% above the median of its 3 replicates (3.40 ms)',
    );
  });

  it('keeps a replicate up to 20% above, and every replicate of a level of two', () => {
    // 4.08 / 3.40 = 1.2 exactly: not more than the margin.
    const three = [replicate('r1', 900, 0.34), replicate('r2', 900, 0.408), replicate('r3', 900, 0.335)];
    expect(withoutDisturbedRuns(three).setAside).toEqual([]);
    const two = [replicate('r1', 900, 0.3), replicate('r2', 900, 0.6)];
    expect(withoutDisturbedRuns(two).kept).toHaveLength(2);
  });

  it('never sets aside the quieter runs, nor runs of other levels or without host CPU', () => {
    // Two disturbed of three: the median is disturbed and the quiet one is below it, kept.
    const runs = [
      replicate('q', 900, 0.3),
      replicate('d1', 900, 0.45),
      replicate('d2', 900, 0.46),
      replicate('other-level', 1200, 0.9),
      replicate('no-cpu', 900, null),
    ];
    expect(withoutDisturbedRuns(runs).kept).toHaveLength(5);
  });

  it('sets aside a run with more than a tenth of its cores stolen, whatever its replicates', () => {
    // 0.45 of 2 cores = 22.5 %, over the limit; 0.19 of 2 = 9.5 %, under it.
    const runs = [
      replicate('a', 3000, 1.5, 0.45),
      replicate('b', 3000, 1.4, 0.19),
      replicate('c', 1500, 0.7),
    ];
    const { kept, setAside, disturbedThroughout } = withoutDisturbedRuns(runs);
    expect(kept.map((r) => r.record.id)).toEqual(['b', 'c']);
    expect(setAside).toEqual([
      {
        id: 'a',
        reason: '0.45 of its 2 cores stolen by the hypervisor (22.5%, over 10%): a disturbed machine',
      },
    ]);
    expect(disturbedThroughout).toBe(false);
  });

  it('keeps every run when every one was disturbed, and says so', () => {
    const runs = [replicate('a', 3000, 1.5, 0.45), replicate('b', 1500, 1.4, 0.3)];
    const { kept, setAside, disturbedThroughout } = withoutDisturbedRuns(runs);
    expect(kept).toHaveLength(2);
    expect(setAside).toEqual([]);
    expect(disturbedThroughout).toBe(true);
  });

  it('the calibration leaves a disturbed replicate out and says so', () => {
    const runs = [
      replicate('900-r1', 900, 0.335),
      replicate('900-r2', 900, 0.432),
      replicate('900-r3', 900, 0.34),
    ].map((r) => ({ ...r, series: [] }));
    const cal = calibrate(runs);
    expect(cal.runs).toEqual(['900-r1', '900-r3']);
    expect(cal.notes.filter((n) => n.startsWith('set aside 900-r2: host CPU 4.32 ms'))).toHaveLength(1);
  });
});

describe('runs whose cores were kept busy', () => {
  /** A replicate whose cores idle-class spinners kept busy (machine.busyCores). */
  function busy(id: string, users: number): { record: RunRecord } {
    const r = replicate(id, users, 2);
    return { record: { ...r.record, machine: { ...r.record.machine, busyCores: 2 } } };
  }

  it('are set aside whatever their CPU, and the plain runs judged among themselves', () => {
    // Three plain replicates at 1.0 cores and a busy-core one at 2.0: the busy one is out, and the
    // median of the three plain ones is theirs, so none of them is set aside.
    const runs = [replicate('a', 2000, 1), replicate('b', 2000, 1), replicate('c', 2000, 1), busy('d', 2000)];
    const { kept, setAside, disturbedThroughout } = withoutDisturbedRuns(runs);
    expect(kept.map((r) => r.record.id)).toEqual(['a', 'b', 'c']);
    expect(setAside).toHaveLength(1);
    expect(setAside[0]!.id).toBe('d');
    expect(setAside[0]!.reason).toContain('kept from idling (2 spinner(s) at SCHED_IDLE)');
    expect(disturbedThroughout).toBe(false);
  });

  it('never calibrate alone: the defaults, with a note of each run set aside', () => {
    const cal = calibrate([busy('d', 2000), busy('e', 3500)].map((r) => ({ ...r, series: [] })));
    expect(cal.cpu).toBeUndefined();
    expect(cal.notes.filter((n) => n.startsWith('set aside '))).toHaveLength(2);
  });
});
