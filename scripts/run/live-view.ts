import { formatLiveLine, type LiveSnapshot } from './live-line.ts';

/** How a run shows itself: redrawn in place (terminal), a line every few seconds (logs, CI), or not. */
export type LiveMode = 'tty' | 'plain' | 'off';

/** Seconds between plain lines: a 1-hour soak writes 720 lines, not 3,600. */
export const PLAIN_EVERY_SECONDS = 5;

/** The mode for a command's output: nothing with --json, in place on a terminal, else plain lines. */
export function liveModeFor(json: boolean, stream: { isTTY?: boolean }): LiveMode {
  if (json) return 'off';
  return stream.isTTY ? 'tty' : 'plain';
}

/** A live view: feed it snapshots; log lines go through it so they do not tear the redrawn line. */
export interface LiveView {
  onSnapshot(snapshot: LiveSnapshot): void;
  log(line: string): void;
  /** Ends the redrawn line (a newline) so what follows starts clean. */
  end(): void;
}

/** A live view writing to `out` (stderr: stdout carries only the result). */
export function createLiveView(
  mode: LiveMode,
  out: { write(text: string): unknown; columns?: number },
  plainEverySeconds = PLAIN_EVERY_SECONDS,
): LiveView {
  let previous: LiveSnapshot | undefined;
  let shown = '';
  const clear = (): void => {
    if (shown) out.write('\r\x1b[2K');
  };
  return {
    onSnapshot(snapshot) {
      if (mode === 'off') return;
      if (previous && snapshot.elapsedSeconds < previous.elapsedSeconds) previous = undefined; // next run
      if (mode === 'plain') {
        if (previous && snapshot.elapsedSeconds - previous.elapsedSeconds < plainEverySeconds - 0.5) return;
        out.write(`${formatLiveLine(snapshot, previous)}\n`);
        previous = snapshot;
        return;
      }
      // One line per second, cut to the terminal's width so the redraw stays on one row.
      const line = formatLiveLine(snapshot, previous).slice(0, Math.max(20, (out.columns ?? 120) - 1));
      clear();
      out.write(line);
      shown = line;
      previous = snapshot;
    },
    log(line) {
      if (mode === 'off') return;
      clear();
      out.write(`${line}\n`);
      if (shown) out.write(shown);
    },
    end() {
      if (shown) out.write('\n');
      shown = '';
      previous = undefined;
    },
  };
}
