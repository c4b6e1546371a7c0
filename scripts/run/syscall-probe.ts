import { closeSync, openSync, readSync } from 'node:fs';
import type { SyscallProbe } from '../../core/run-record.ts';
import { trimmedMeanOfProbe } from '../../core/syscall-probe-summary.ts';

// The machine's speed for system calls during a run (issue 12, session 15). On the shared 2-core VM
// the same work costs two different amounts of CPU in turn, minutes at a time, with no stolen time to
// show it: 100,000 getppid calls took 19.4 ms of CPU in one state and 26-27 ms in the other, a run's
// CPU per sync (target, database and k6 alike) 51 ms in one and 70 ms in the other (bench:knee runs of
// 2026-12-02 19:30-19:38, 3,000-6,500 users; the 4,000-user run was the slow one). A run's syscall-heavy
// work (loopback HTTP and the database protocol) moves with it, so the runner times a fixed batch of
// one-byte reads of /dev/zero once a second, in its own CPU time, and the record keeps what one cost.

/** Reads per sample: about 1.3-2 ms of CPU, once a second (0.2 % of a core). */
const READS_PER_SAMPLE = 2000;

/** Samples the CPU cost of a system call once a second; {@link startSyscallProbe} starts it. */
export interface SyscallProbeSampler {
  /** Stops; null when no sample was taken (a run shorter than a second, or /dev/zero unreadable). */
  stop(): SyscallProbe | null;
}

/** Starts timing READS_PER_SAMPLE one-byte reads of /dev/zero once a second, in this process's CPU time. */
export function startSyscallProbe(intervalMs = 1000): SyscallProbeSampler {
  let fd: number | null = null;
  try {
    fd = openSync('/dev/zero', 'r');
  } catch {
    return { stop: () => null };
  }
  const buffer = Buffer.alloc(1);
  const samples: number[] = [];
  const sample = () => {
    const before = process.cpuUsage();
    for (let i = 0; i < READS_PER_SAMPLE; i++) readSync(fd!, buffer, 0, 1, null);
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / READS_PER_SAMPLE);
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (fd !== null) closeSync(fd);
      fd = null;
      return trimmedMeanOfProbe(samples, READS_PER_SAMPLE);
    },
  };
}
