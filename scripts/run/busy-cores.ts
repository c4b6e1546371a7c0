import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { UsageError } from '../../core/usage-error.ts';

// Cores kept from idling during a run (issue 12, session 20). On the 2-core VM a fifth of a sync's CPU at
// light load is the cost of waking work onto an idle vCPU (its halt and the wake-up's interrupt, billed
// to the processes on either side), and it goes as the cores stop idling: with two spinners at the
// idle scheduling class beside a run of full sync, the target, the database and k6 used 66.9 ms of CPU
// per sync at 2,000 users against 84.3 and 85.4 without, and 59.6 against 71.1 and 70.5 at 5,000.
// A spinner of SCHED_IDLE runs only when nothing else wants its core, so the run's own processes keep
// the cores as before while the vCPUs never halt. What a run with them measures is each process's CPU
// per request on busy cores; its host CPU reads every core busy, so it is never a fit run
// (simulator/disturbed-runs.ts sets it aside), but the calibration reads it beside the plain runs of its
// level for the CPU a wake-up onto an idle vCPU costs (simulator/idle-vcpu-wake.ts).

/** Spinners running at the idle scheduling class; `stop` ends them (idempotent). */
export interface BusyCores {
  count: number;
  stop(): void;
}

/**
 * The loop a spinner runs: as long as the process that started it lives (the shell's $PPID, checked
 * each turn), so a caller killed with SIGKILL, whose exit handler never runs, leaves none behind
 * (session 30: two orphaned spinners from a killed bench read as two busy cores to the next bench).
 */
export const SPINNER_LOOP = 'while kill -0 $PPID 2>/dev/null; do :; done';

/** The command that runs one spinner at SCHED_IDLE (util-linux chrt, then the shell's SPINNER_LOOP). */
export const SPINNER_COMMAND = ['chrt', '--idle', '0', 'sh', '-c', SPINNER_LOOP] as const;

/**
 * Refuses `--busy-cores` before anything starts when this machine cannot run a spinner at the idle
 * scheduling class (not Linux, no util-linux chrt, or the class refused): a UsageError naming the flag.
 */
export function checkCanKeepCoresBusy(): void {
  const [command] = SPINNER_COMMAND;
  const probe = spawnSync(command, ['--idle', '0', 'true'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0)
    throw new UsageError(
      '--busy-cores',
      `needs ${command} (util-linux) and the idle scheduling class on this machine: ${probe.error?.message ?? `${command} exited ${probe.status}`}`,
    );
}

/**
 * Starts `count` spinners at the idle scheduling class (SPINNER_COMMAND; checkCanKeepCoresBusy first).
 * Throws a RangeError for a count that is not a positive integer.
 */
export function startBusyCores(count: number): BusyCores {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`busy cores must be a positive integer, got ${count}`);
  const [command, ...args] = SPINNER_COMMAND;
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(command, args, { stdio: 'ignore' }),
  );
  const stop = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    process.off('exit', stop);
  };
  // Never leave a spinner behind when the caller exits first (and when it is killed: SPINNER_LOOP).
  process.on('exit', stop);
  return { count, stop };
}
