// The moment the load starts, told to the runner: k6 runs setup() after it has initialised every VU
// and just before its scenarios start, so the time logged there (stderr) is the scenarios' second 0,
// however long the VUs took to initialise and however late the runner reads the line. The runner
// (scripts/k6/load-start.ts) measures the warm-up and the window from it.

// k6 provides `console` (its log goes to stderr); @types/k6 does not declare it.
declare const console: { log(...values: unknown[]): void };

/** The console line every scenario logs from setup(). */
export const LOAD_START_MARK = 'atlas: load starts';

/**
 * k6's setup(): logs {@link LOAD_START_MARK} with k6's own clock (epoch ms; the runner's clock on the same
 * machine), so the mark does not wait for the runner to read k6's output; every scenario re-exports it.
 */
export function setup(): void {
  console.log(`${LOAD_START_MARK} ${Date.now()}`);
}
