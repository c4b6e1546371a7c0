import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCanKeepCoresBusy, SPINNER_LOOP, startBusyCores } from './busy-cores.ts';

/** The scheduling policy of a process (/proc/<pid>/sched: 5 is SCHED_IDLE), or null once it is gone. */
function policyOf(pid: number): number | null {
  try {
    const m = /^policy\s*:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/sched`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Pids of this process's children running the spinner's loop (SPINNER_LOOP). */
function spinnerPids(): number[] {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SPINNER_LOOP);
    } catch {
      return false;
    }
  });
}

// Linux only (chrt, /proc); under CI=true it runs everywhere, so a CI machine without them fails here.
describe.runIf(process.platform === 'linux' || process.env.CI === 'true')(
  'cores kept busy during a run',
  () => {
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
        // They die on the signal; on a loaded machine that may take more than a scheduler tick or two.
        for (let i = 0; i < 100 && spinnerPids().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(spinnerPids()).toEqual([]);
      } finally {
        busy.stop();
      }
    });

    it('ends a spinner whose starter died without stopping it (a SIGKILL runs no exit handler)', async () => {
      // A shell starts the loop (at the normal class, so a busy machine cannot starve it) and exits.
      const starter = spawn('sh', ['-c', `sh -c '${SPINNER_LOOP}' & echo $!; sleep 0.2`], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      starter.stdout.on('data', (d) => {
        out += String(d);
      });
      await new Promise((r) => starter.on('exit', r));
      const pid = Number(out.trim());
      expect(pid).toBeGreaterThan(0);
      const alive = (): boolean => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 250 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(alive()).toBe(false);
    });

    it('finds this machine able to run a spinner at the idle class', () => {
      expect(() => checkCanKeepCoresBusy()).not.toThrow();
    });

    it('refuses --busy-cores in one line when chrt refuses the idle class', () => {
      const bin = mkdtempSync(join(tmpdir(), 'no-chrt-'));
      const path = process.env.PATH;
      try {
        writeFileSync(join(bin, 'chrt'), '#!/bin/sh\nexit 1\n');
        chmodSync(join(bin, 'chrt'), 0o755);
        process.env.PATH = `${bin}:${path}`;
        expect(() => checkCanKeepCoresBusy()).toThrow(
          '--busy-cores: needs chrt (util-linux) and the idle scheduling class on this machine: chrt exited 1',
        );
      } finally {
        process.env.PATH = path;
        rmSync(bin, { recursive: true, force: true });
      }
    });

    it('refuses a count that is not a positive integer', () => {
      expect(() => startBusyCores(0)).toThrow(RangeError);
      expect(() => startBusyCores(1.5)).toThrow('positive integer');
    });
  },
);
