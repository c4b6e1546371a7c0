import { sum } from 'simple-statistics';
import type { RunCpu } from '../../core/run-record.ts';
import type { GcTotals, ServerSample } from '../collector/collector.ts';

// The target's garbage-collection pauses over the measured window, from the collector's once-a-second
// scrapes of its cumulative nodejs_gc_duration_seconds (prom-client's default metrics, timed by V8's
// perf_hooks 'gc' entries): a pause stops the event loop, so every request waiting on it waits it out.

/** The target's GC pauses over a window (the record's `cpu.targetGc`). */
export type TargetGc = NonNullable<RunCpu['targetGc']>;

/** The latest sample with GC totals at or before `atMs`, else undefined. */
function lastAtOrBefore(
  samples: ServerSample[],
  atMs: number,
): (ServerSample & { gc: GcTotals }) | undefined {
  let found: (ServerSample & { gc: GcTotals }) | undefined;
  for (const s of samples) {
    if (s.atMs > atMs) break;
    if (s.gc) found = s as ServerSample & { gc: GcTotals };
  }
  return found;
}

/**
 * The GC pauses between the last scrape at or before the window's start and the last at or before its
 * end (samples in time order); null when the target exported none or the scrapes span under 1 s.
 */
export function targetGcOverWindow(
  samples: ServerSample[],
  fromMs: number,
  untilMs: number,
): TargetGc | null {
  const start = lastAtOrBefore(samples, fromMs) ?? samples.find((s) => s.gc && s.atMs <= untilMs);
  const end = lastAtOrBefore(samples, untilMs);
  if (!start?.gc || !end?.gc || end.atMs - start.atMs < 1000) return null;
  const byKind: TargetGc['byKind'] = {};
  for (const [kind, total] of Object.entries(end.gc)) {
    const before = start.gc[kind] ?? { pauses: 0, seconds: 0 };
    byKind[kind] = {
      pauses: Math.max(0, total.pauses - before.pauses),
      seconds: Math.max(0, total.seconds - before.seconds),
    };
  }
  const parts = Object.values(byKind);
  return {
    windowSeconds: (end.atMs - start.atMs) / 1000,
    pauses: sum(parts.map((p) => p.pauses)),
    seconds: sum(parts.map((p) => p.seconds)),
    byKind,
  };
}
