import { createInterface } from 'node:readline';
import type { ServerSample } from '../collector/collector.ts';
import type { K6Process } from '../k6/run-k6.ts';
import { onAbort } from './interrupt.ts';
import type { LiveSnapshot } from './live-line.ts';
import { LiveTally } from './live-tally.ts';

/** Options of {@link startLiveMonitor}. */
export interface LiveMonitorOptions {
  /** The run's k6 processes (started with `liveOutput` when `onSnapshot` is set). */
  processes: readonly K6Process[];
  /** The collector's newest server sample (undefined before the measured window). */
  latest(): ServerSample | undefined;
  offeredPerSecond: number;
  /** Seconds of the measured window. */
  totalSeconds: number;
  /** Called once a second with the measured window so far; omit for no live line. */
  onSnapshot?: ((snapshot: LiveSnapshot) => void) | undefined;
  /** Ctrl-C: each k6 process gets SIGINT (k6 stops its VUs and flushes its output). */
  signal?: AbortSignal | undefined;
}

/** A running {@link startLiveMonitor}. */
export interface LiveMonitor {
  /** The measured window starts at `originMs` (epoch ms): the live line counts and ticks from there. */
  begin(originMs: number): void;
  stop(): void;
}

/**
 * Follows a run from k6's spawn: Ctrl-C stops k6 at any time (warm-up included); k6's streamed output
 * is read throughout, and the live snapshot is given once a second from the measured window's start.
 */
export function startLiveMonitor(options: LiveMonitorOptions): LiveMonitor {
  const unhook = onAbort(options.signal, () => {
    for (const p of options.processes) if (p.child.exitCode === null) p.child.kill('SIGINT');
  });
  const onSnapshot = options.onSnapshot;
  if (!onSnapshot) return { begin: () => {}, stop: unhook };
  // Read from the spawn (an unread stdout would fill its pipe and stall k6); counted from the window.
  let tally: LiveTally | undefined;
  options.processes.forEach((p, i) => {
    if (!p.child.stdout) return;
    createInterface({ input: p.child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      tally?.addLine(line, i),
    );
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    begin(originMs) {
      const counting = new LiveTally(originMs);
      tally = counting;
      const snapshot = (): LiveSnapshot => {
        const server = options.latest();
        return {
          elapsedSeconds: Math.min(options.totalSeconds, Math.max(0, (Date.now() - originMs) / 1000)),
          totalSeconds: options.totalSeconds,
          offeredPerSecond: options.offeredPerSecond,
          client: counting.totals(),
          pool: server?.pool ?? null,
          upstream: server?.upstream ?? null,
        };
      };
      timer = setInterval(() => {
        if (Date.now() >= originMs) onSnapshot(snapshot());
      }, 1000);
    },
    stop() {
      clearInterval(timer);
      unhook();
    },
  };
}
