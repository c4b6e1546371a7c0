import { describe, expect, it } from 'vitest';
import type { SeriesSample } from '../../core/run-record.ts';
import { runCpuOf, threadBetween, withCpuSeries } from './host-cpu-sampler.ts';
import {
  descendantsOf,
  hostBusyPercent,
  hostStealPercent,
  type ProcessTicks,
  parseHostTicks,
  parseInvoluntarySwitches,
  parseProcessTicks,
  parseSchedstat,
  ticksBetween,
} from './proc-stat.ts';

// /proc text as Linux 6.x prints it (proc(5)); the figures are chosen so the arithmetic is checkable.
const STAT_BEFORE = `cpu  30530 0 8578 34104 259 0 1840 13 0 0
cpu0 15000 0 4000 17000 100 0 900 6 0 0
cpu1 15530 0 4578 17104 159 0 940 7 0 0
intr 1 2 3
`;
const STAT_AFTER = `cpu  30630 0 8628 34134 269 0 1860 13 5 0
cpu0 15050 0 4025 17015 105 0 910 6 0 0
`;

function proc(pid: number, ppid: number, cpu: number, startTicks: number, comm = 'node'): ProcessTicks {
  return { pid, ppid, cpu, startTicks, comm };
}

describe('/proc parsing', () => {
  it('the aggregate cpu line: total without guest time, idle with iowait', () => {
    expect(parseHostTicks(STAT_BEFORE)).toEqual({
      total: 30530 + 8578 + 34104 + 259 + 1840 + 13,
      idle: 34104 + 259,
      steal: 13,
    });
    expect(() => parseHostTicks('intr 1 2 3\n')).toThrow(/no aggregate cpu line/);
  });

  it('host busy share: 170 busy of 210 ticks on 2 cores is 162 % of one core', () => {
    // total +210 (user 100, system 50, idle 30, iowait 10, softirq 20), idle +40: busy 170.
    const p = hostBusyPercent(parseHostTicks(STAT_BEFORE), parseHostTicks(STAT_AFTER), 2);
    expect(p).toBeCloseTo((170 / 210) * 200, 9);
    expect(hostBusyPercent(parseHostTicks(STAT_AFTER), parseHostTicks(STAT_AFTER), 2)).toBe(0);
  });

  it('stolen time: 30 of 200 ticks on 2 cores is 30 % of one core, and counts as busy', () => {
    const before = parseHostTicks('cpu  100 0 0 100 0 0 0 0 0 0\n');
    const after = parseHostTicks('cpu  150 0 0 220 0 0 0 30 0 0\n');
    expect(hostStealPercent(before, after, 2)).toBeCloseTo((30 / 200) * 200, 9);
    expect(hostBusyPercent(before, after, 2)).toBeCloseTo((80 / 200) * 200, 9);
  });

  it('a process stat line whose name holds spaces and parentheses', () => {
    const line =
      '4242 (postgres: 15/main: (x) idle) S 2206 4242 4242 0 -1 4194368 321 0 1 0 17 5 0 0 20 0 1 0 3484 222683136 3746 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcessTicks(line)).toEqual({
      pid: 4242,
      comm: 'postgres: 15/main: (x) idle',
      ppid: 2206,
      cpu: 22,
      startTicks: 3484,
    });
    expect(() => parseProcessTicks('garbage')).toThrow(/bad/);
  });

  it('descendants follow the parent tree (the postmaster and its backends, not its siblings)', () => {
    const ps = [
      proc(1, 0, 0, 0),
      proc(10, 1, 0, 0),
      proc(11, 10, 0, 0),
      proc(12, 10, 0, 0),
      proc(13, 11, 0, 0),
      proc(20, 1, 0, 0),
    ];
    expect([...descendantsOf(10, ps)].sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
    expect([...descendantsOf(99, ps)]).toEqual([99]);
  });

  it('ticks between scans: differences, new processes in full, a reused pid or a newly joined old process not at all', () => {
    const before = new Map([
      [10, proc(10, 1, 100, 50)],
      [11, proc(11, 10, 40, 60)],
      [12, proc(12, 10, 7, 70)],
    ]);
    const after = new Map([
      [10, proc(10, 1, 130, 50)], // +30
      [11, proc(11, 10, 3, 990)], // pid reused by a process started after the previous scan (990 >= 980): all 3
      [13, proc(13, 10, 9, 985)], // born after the previous scan: all 9
      [14, proc(14, 10, 500, 20)], // old process not seen before: nothing
    ]);
    expect(ticksBetween(before, after, [10, 11, 12, 13, 14], 980)).toBe(30 + 3 + 9);
  });
});

describe('run record CPU', () => {
  const summary = {
    cores: 2,
    windowSeconds: 4,
    samples: [
      { atMs: 2000, host: 120, steal: 10, groups: { target: 50, database: 20 } },
      { atMs: 3000, host: 150, steal: 20, groups: { target: 70, database: 30 } },
      { atMs: 4000, host: 90, steal: 0, groups: { target: 30, database: 10 } },
      { atMs: 5000, host: 100, steal: 0, groups: { target: 50, database: 20 } },
    ],
    hostCpuSeconds: 4.6,
    stealSeconds: 0.3,
    groupCpuSeconds: { target: 2, database: 0.8 },
  };

  it('totals, means over the window and per-second maxima; groups not followed are null', () => {
    const cpu = runCpuOf(summary, { target: 'target pid 1', database: 'PostgreSQL server pid 2' });
    expect(cpu.windowSeconds).toBe(4);
    expect(cpu.host.cpuSeconds).toBe(4.6);
    expect(cpu.host.cpuPercentMean).toBeCloseTo(115, 9);
    expect(cpu.host.cpuPercentMax).toBe(150);
    expect(cpu.host.stealSeconds).toBe(0.3);
    expect(cpu.target).toEqual({
      cpuSeconds: 2,
      cpuPercentMean: 50,
      cpuPercentMax: 70,
      processes: 'target pid 1',
    });
    expect(cpu.database!.cpuPercentMean).toBeCloseTo(20, 9);
    expect(cpu.loadGenerator).toBeNull();
    expect(cpu.runner).toBeNull();
  });

  it('each reading goes to the second before it', () => {
    const series: SeriesSample[] = [0, 1, 2, 3, 4].map((t) => ({
      t,
      requests: 1,
      endpoints: {},
      pool: null,
      dbConnections: null,
      upstream: null,
      rateLimited: null,
    }));
    const out = withCpuSeries(series, summary.samples, 1000);
    expect(out[0]!.cpu).toEqual({
      host: 120,
      steal: 10,
      target: 50,
      database: 20,
      loadGenerator: null,
      runner: null,
    });
    expect(out[1]!.cpu!.steal).toBe(20);
    expect(out[3]!.cpu!.host).toBe(100);
    expect(out[4]!.cpu).toBeUndefined();
  });
});

describe('thread schedstat', () => {
  it('parses ns on a core, ns on a run queue and timeslices, and refuses anything else', () => {
    expect(parseSchedstat('195023428 13703502 366\n')).toEqual({
      cpuNs: 195023428,
      runQueueNs: 13703502,
      timeslices: 366,
    });
    expect(() => parseSchedstat('1 2')).toThrow(/bad schedstat/);
    expect(() => parseSchedstat('1 x 3')).toThrow(/bad schedstat/);
  });

  it("reads a thread's involuntary context switches from its status file", () => {
    // The tail of /proc/<pid>/task/<pid>/status as Linux 6.x writes it.
    const status =
      'Name:\tnode\nState:\tR (running)\nCpus_allowed_list:\t0-1\nvoluntary_ctxt_switches:\t23947\nnonvoluntary_ctxt_switches:\t14014\n';
    expect(parseInvoluntarySwitches(status)).toBe(14014);
    expect(parseInvoluntarySwitches('Name:\tnode\nvoluntary_ctxt_switches:\t23947\n')).toBeNull();
  });

  it("gives a thread's CPU and run-queue wait between two readings, in seconds", () => {
    const first = { cpuNs: 1e9, runQueueNs: 5e8, timeslices: 100 };
    const last = { cpuNs: 25e9, runQueueNs: 18.5e9, timeslices: 90100 };
    expect(threadBetween(first, last, 60)).toEqual({
      windowSeconds: 60,
      cpuSeconds: 24,
      runQueueSeconds: 18,
      timeslices: 90000,
    });
    // With the involuntary switches read at both ends, their count over the window; at one end only, none.
    expect(
      threadBetween({ ...first, involuntarySwitches: 14014 }, { ...last, involuntarySwitches: 34689 }, 60),
    ).toMatchObject({ involuntarySwitches: 20675 });
    expect(threadBetween(first, { ...last, involuntarySwitches: 34689 }, 60)).not.toHaveProperty(
      'involuntarySwitches',
    );
    // A thread read once, a counter that went back (another thread reused the id), or no window: none.
    expect(threadBetween(first, null, 60)).toBeNull();
    expect(threadBetween(last, first, 60)).toBeNull();
    expect(threadBetween(first, last, 0)).toBeNull();
  });

  it("puts the target's thread in the record only when the target was followed", () => {
    const summary = {
      cores: 2,
      windowSeconds: 4,
      samples: [{ atMs: 2000, host: 120, steal: 0, groups: { target: 50 } }],
      hostCpuSeconds: 4.8,
      stealSeconds: 0,
      groupCpuSeconds: { target: 2 },
    };
    const thread = { windowSeconds: 4, cpuSeconds: 1, runQueueSeconds: 0.5, timeslices: 10 };
    const withThread = { ...summary, thread };
    expect(runCpuOf(withThread, { target: 'target pid 1' }).targetThread).toEqual(thread);
    expect(runCpuOf(withThread, {}).targetThread).toBeUndefined();
    expect(runCpuOf(summary, { target: 'target pid 1' }).targetThread).toBeUndefined();
  });
});
