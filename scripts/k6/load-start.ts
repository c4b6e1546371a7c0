import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { LOAD_START_MARK } from '../../scenarios/lib/start-mark.ts';

// k6 logs LOAD_START_MARK from the scenarios' setup(), after its VUs are initialised and just before
// the scenarios start (scenarios/lib/start-mark.ts): the runner's clock of the load's second 0.

/**
 * Epoch ms at which `stderr` (k6's console output) first carries the load's start mark, read as the
 * line arrives; null when the stream ends without it (k6 failed before its load started).
 */
export function loadStartOf(stderr: Readable, now: () => number = Date.now): Promise<number | null> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: stderr, crlfDelay: Number.POSITIVE_INFINITY });
    const onLine = (line: string): void => {
      if (!line.includes(LOAD_START_MARK)) return;
      resolve(now());
      lines.off('line', onLine);
    };
    lines.on('line', onLine);
    lines.once('close', () => resolve(null));
  });
}
