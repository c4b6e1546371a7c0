import { interruptOnSigint } from './interrupt.ts';
import type { LiveSnapshot } from './live-line.ts';
import { createLiveView, liveModeFor } from './live-view.ts';

/** What a long command's work gets from {@link withLiveView}: log, progress, end of a run's line, Ctrl-C. */
export interface LiveHooks {
  log(line: string): void;
  progress(snapshot: LiveSnapshot): void;
  onRunEnd(): void;
  signal: AbortSignal;
}

/**
 * Runs a command's work with a live view on stderr (off with --json) and Ctrl-C as an abort signal;
 * the view's line is ended and the signal handler removed afterwards, whatever happens.
 */
export async function withLiveView<T>(json: boolean, work: (hooks: LiveHooks) => Promise<T>): Promise<T> {
  const view = createLiveView(liveModeFor(json, process.stderr), process.stderr);
  const interrupt = interruptOnSigint();
  try {
    return await work({
      log: view.log,
      progress: view.onSnapshot,
      onRunEnd: view.end,
      signal: interrupt.signal,
    });
  } finally {
    view.end();
    interrupt.dispose();
  }
}
