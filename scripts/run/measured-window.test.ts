import { describe, expect, it } from 'vitest';
import type { K6Process } from '../k6/run-k6.ts';
import { InterruptedError } from './interrupt.ts';
import { awaitLoadStarts, awaitWindowStart } from './measured-window.ts';

/** A stand-in k6 process: started its load at `mark` (null: never), ends on SIGINT or on `exit`. */
function fakeK6(mark: number | null): K6Process & { signals: string[]; exit(code: number): void } {
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const signals: string[] = [];
  const child = {
    exitCode: null as number | null,
    kill(signal: string) {
      signals.push(signal);
      child.exitCode = 130;
      finish(130);
      return true;
    },
  };
  const exit = (code: number): void => {
    child.exitCode = code;
    finish(code);
  };
  return {
    child: child as unknown as K6Process['child'],
    pid: 1,
    done,
    loadStarted: mark === null ? done.then(() => null) : Promise.resolve(mark),
    signals,
    exit,
  };
}

describe("the measured window's start", () => {
  it("waits for every segment's load start", async () => {
    expect(await awaitLoadStarts([fakeK6(1300), fakeK6(1000)], undefined)).toEqual([1300, 1000]);
  });

  it('a k6 that ends before its load starts: the others stopped, an error naming its log', async () => {
    const early = fakeK6(null);
    const other = fakeK6(1000);
    const waiting = awaitLoadStarts([other, early], undefined);
    early.exit(107);
    await expect(waiting).rejects.toThrow(
      'k6 (segment 1) exited with 107 before the load started (see work/k6-1.log)',
    );
    expect(other.signals).toEqual(['SIGINT']);
  });

  it('comes when the warm-up is over', async () => {
    const origin = Date.now() + 60;
    await awaitWindowStart(origin, [fakeK6(0)], undefined);
    expect(Date.now()).toBeGreaterThanOrEqual(origin);
  });

  it('Ctrl-C during the warm-up: k6 stopped, no record (InterruptedError)', async () => {
    const k6 = fakeK6(0);
    const ctrlC = new AbortController();
    const waiting = awaitWindowStart(Date.now() + 60_000, [k6], ctrlC.signal);
    ctrlC.abort();
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as Error).message).toBe('interrupted during the warm-up: no run record written');
    expect(k6.signals).toEqual(['SIGINT']);
  });

  it('a k6 that exits during the warm-up (a threshold aborting it): an error, no record', async () => {
    const k6 = fakeK6(0);
    const waiting = awaitWindowStart(Date.now() + 60_000, [k6], undefined);
    k6.exit(99);
    await expect(waiting).rejects.toThrow('k6 (segment 0) exited with 99 during the warm-up');
  });
});
