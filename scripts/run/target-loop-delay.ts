import { mean } from 'simple-statistics';
import type { RunCpu } from '../../core/run-record.ts';
import type { LoopDelay, ServerSample } from '../collector/collector.ts';

// The target's event-loop delay over the measured window, from the collector's once-a-second scrapes of
// prom-client's nodejs_eventloop_lag_* (each scrape covers the ticks since the one before it).

/** The target's event-loop delay over a window (the record's `cpu.targetLoopDelay`). */
export type TargetLoopDelay = NonNullable<RunCpu['targetLoopDelay']>;

/**
 * The loop delay of the scrapes taken inside (fromMs, untilMs] (each covers the second before it):
 * the mean of their means and of their p99s, and the largest delay; null when none carries one.
 */
export function targetLoopDelayOverWindow(
  samples: ServerSample[],
  fromMs: number,
  untilMs: number,
): TargetLoopDelay | null {
  const inside: LoopDelay[] = samples.flatMap((s) =>
    s.loopDelay && s.atMs > fromMs && s.atMs <= untilMs ? [s.loopDelay] : [],
  );
  if (inside.length === 0) return null;
  return {
    scrapes: inside.length,
    meanMs: mean(inside.map((d) => d.meanMs)),
    p99Ms: mean(inside.map((d) => d.p99Ms)),
    maxMs: Math.max(...inside.map((d) => d.maxMs)),
  };
}
