import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startBusyCores } from './busy-cores.ts';

/** The scheduling policy of a process (/proc/<pid>/sched: 5 is SCHED_IDLE), or null once it is gone. */
function policyOf(pid: number): number | null {
  try {
    const m = /^policy\s*:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/sched`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Pids of this process's children running `sh -c while :; do :; done`. */
function spinnerPids(): number[] {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('while :; do :; done');
    } catch {
      return false;
    }
  });
}

describe.runIf(process.platform === 'linux')('cores kept busy during a run', () => {
  it('starts that many spinners at the idle scheduling class and stops them', async () => {
    const busy = startBusyCores(2);
    try {
      // chrt sets the class and execs the shell: wait until both shells are there.
      let pids: number[] = [];
      for (let i = 0; i < 50 && pids.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        pids = spinnerPids().filter((pid) => policyOf(pid) === 5);
      }
      expect(pids).toHaveLength(2);
      busy.stop();
      await new Promise((r) => setTimeout(r, 100));
      expect(spinnerPids()).toEqual([]);
    } finally {
      busy.stop();
    }
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => startBusyCores(0)).toThrow(RangeError);
    expect(() => startBusyCores(1.5)).toThrow('positive integer');
  });
});
