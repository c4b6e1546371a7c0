import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { LOAD_START_MARK } from '../../scenarios/lib/start-mark.ts';

// k6 logs LOAD_START_MARK from the scenarios' setup(), after its VUs are initialised and just before
// the scenarios start (scenarios/lib/start-mark.ts): the runner's clock of the load's second 0.

/**
 * Epoch ms of the load's start from `stderr` (k6's console output): the time the mark carries (k6's
 * clock when setup() ran), else when the line arrived; null when the stream ends without it (k6 failed
 * before its load started). Reading the arrival alone put the start late by however long the runner
 * took to read the line (under a loaded CI machine, enough to drop a run's first requests).
 */
export function loadStartOf(stderr: Readable, now: () => number = Date.now): Promise<number | null> {
  const stamped = new RegExp(`${LOAD_START_MARK} (\\d{12,})`);
  return new Promise((resolve) => {
    const lines = createInterface({ input: stderr, crlfDelay: Number.POSITIVE_INFINITY });
    const onLine = (line: string): void => {
      if (!line.includes(LOAD_START_MARK)) return;
      const at = stamped.exec(line);
      resolve(at ? Number(at[1]) : now());
      lines.off('line', onLine);
    };
    lines.on('line', onLine);
    lines.once('close', () => resolve(null));
  });
}
