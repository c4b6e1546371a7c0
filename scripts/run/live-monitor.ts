import { createInterface } from 'node:readline';
import type { ServerSample } from '../collector/collector.ts';
import type { K6Process } from '../k6/run-k6.ts';
import { onAbort } from './interrupt.ts';
import type { LiveSnapshot } from './live-line.ts';
import { LiveTally } from './live-tally.ts';

/** Options of {@link startLiveMonitor}. */
export interface LiveMonitorOptions {
  /** The measured k6 processes (started with `liveOutput` when `onSnapshot` is set). */
  processes: readonly K6Process[];
  /** The collector's newest server sample. */
  latest(): ServerSample | undefined;
  offeredPerSecond: number;
  totalSeconds: number;
  /** Epoch ms the measured load started. */
  originMs: number;
  /** Called once a second with the run so far; omit for no live line. */
  onSnapshot?: ((snapshot: LiveSnapshot) => void) | undefined;
  /** Ctrl-C: each k6 process gets SIGINT (k6 stops its VUs and flushes its output). */
  signal?: AbortSignal | undefined;
}

/** Follows a run while k6 runs: the live snapshot once a second, and k6 stopped on interrupt. */
export function startLiveMonitor(options: LiveMonitorOptions): { stop(): void } {
  const unhook = onAbort(options.signal, () => {
    for (const p of options.processes) if (p.child.exitCode === null) p.child.kill('SIGINT');
  });
  const onSnapshot = options.onSnapshot;
  if (!onSnapshot) return { stop: unhook };
  const tally = new LiveTally();
  options.processes.forEach((p, i) => {
    if (!p.child.stdout) return;
    createInterface({ input: p.child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      tally.addLine(line, i),
    );
  });
  const snapshot = (): LiveSnapshot => {
    const server = options.latest();
    return {
      elapsedSeconds: Math.min(options.totalSeconds, (Date.now() - options.originMs) / 1000),
      totalSeconds: options.totalSeconds,
      offeredPerSecond: options.offeredPerSecond,
      client: tally.totals(),
      pool: server?.pool ?? null,
      upstream: server?.upstream ?? null,
    };
  };
  const timer = setInterval(() => onSnapshot(snapshot()), 1000);
  return {
    stop() {
      clearInterval(timer);
      unhook();
    },
  };
}
