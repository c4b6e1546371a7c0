import type { K6Process } from '../k6/run-k6.ts';
import { InterruptedError, onAbort } from './interrupt.ts';

// The measured window of a run starts `--warmup` seconds after k6 started its load (one k6 run holds
// both): the warm-up is timed from the load's start mark (scripts/k6/load-start.ts), not from the
// spawn, so however long k6 took to initialise its VUs the window is the run's last D seconds. K
// segments are spawned together but start their load a few hundred ms apart (their VUs initialise on
// the same cores): each segment's window starts W s after its own mark, the run's at the first of them.

/** Why the wait for the window ended early: Ctrl-C, or a k6 process that ended. */
type Stop = { kind: 'aborted' } | { kind: 'ended'; index: number; code: number };

/** Stops the k6 processes still running (SIGINT: they flush their output) and waits for them all. */
export async function stopAll(processes: readonly K6Process[]): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGINT');
  await Promise.all(processes.map((p) => p.done));
}

async function raceStop<T>(
  work: Promise<T>,
  processes: readonly K6Process[],
  signal: AbortSignal | undefined,
  stage: string,
): Promise<T> {
  let unhook = (): void => {};
  const aborted = new Promise<Stop>((resolve) => {
    unhook = onAbort(signal, () => resolve({ kind: 'aborted' }));
  });
  const ended = Promise.race(
    processes.map((p, index) => p.done.then((code): Stop => ({ kind: 'ended', index, code }))),
  );
  try {
    const outcome = await Promise.race([
      work.then((value) => ({ kind: 'done' as const, value })),
      aborted,
      ended,
    ]);
    if (outcome.kind === 'done') return outcome.value;
    await stopAll(processes);
    if (outcome.kind === 'aborted') throw new InterruptedError(`interrupted ${stage}: no run record written`);
    throw new Error(
      `k6 (segment ${outcome.index}) exited with ${outcome.code} ${stage} (see work/k6-${outcome.index}.log)`,
    );
  } finally {
    unhook();
  }
}

/**
 * Epoch ms each k6 process started its load (its start mark), once all have. Ctrl-C first: k6 is
 * stopped and {@link InterruptedError} thrown (no record); a process ending first: the others stopped,
 * Error.
 */
export async function awaitLoadStarts(
  processes: readonly K6Process[],
  signal: AbortSignal | undefined,
): Promise<number[]> {
  const marks = Promise.all(processes.map((p) => p.loadStarted)).then((all) =>
    // A null mark: that process ended without starting; its `done` wins the race below.
    all.every((m) => m !== null) ? all : new Promise<number[]>(() => {}),
  );
  return raceStop(marks, processes, signal, 'before the load started');
}

/**
 * Waits until `originMs` (the measured window's start, after the warm-up); Ctrl-C or a k6 process
 * ending before it: as {@link awaitLoadStarts}, and no record.
 */
export async function awaitWindowStart(
  originMs: number,
  processes: readonly K6Process[],
  signal: AbortSignal | undefined,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // A timer may fire a millisecond before the wall clock reaches the origin (it runs on the monotonic
  // clock): wait again for what is left, so the window never starts inside the warm-up.
  const wait = new Promise<void>((resolve) => {
    const tick = (): void => {
      const left = originMs - Date.now();
      if (left <= 0) resolve();
      else timer = setTimeout(tick, left);
    };
    tick();
  });
  try {
    await raceStop(wait, processes, signal, 'during the warm-up');
  } finally {
    clearTimeout(timer);
  }
}
