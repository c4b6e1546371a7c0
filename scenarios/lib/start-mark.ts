// The moment the load starts, told to the runner: k6 runs setup() after it has initialised every VU
// and just before its scenarios start, so a line logged there (stderr) is the runner's clock of the
// scenarios' second 0, to within milliseconds, however long the VUs took to initialise. The runner
// (scripts/k6/load-start.ts) measures the warm-up and the window from it.

// k6 provides `console` (its log goes to stderr); @types/k6 does not declare it.
declare const console: { log(...values: unknown[]): void };

/** The console line every scenario logs from setup(). */
export const LOAD_START_MARK = 'atlas: load starts';

/** k6's setup(): logs {@link LOAD_START_MARK}; every scenario re-exports it. */
export function setup(): void {
  console.log(LOAD_START_MARK);
}
