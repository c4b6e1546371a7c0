import { median } from 'simple-statistics';
import type { RunRecord } from '../../core/run-record.ts';

// How much a level's predicted p95 rests on the precision of its calibration. Near the knee a p95 moves
// many times faster than the load: a few per cent more CPU per request is a few per cent nearer the
// knee. The fit's replicates show how precisely this machine's CPU per request is known: the runs of one
// fit level, back to back, differ by some per cent, and the held levels' machine varies at least as much.
// Predicting the level at users × (1 − δ) and × (1 + δ), δ that spread, is predicting it with that much
// less or more CPU per request (every CPU on the rig, k6's included, scales with the requests). Printed
// beside the verdict, never part of it. Pure.

/** A fit run's users and its own CPU-seconds per iteration (host busy less stolen), or null. */
export function cpuPerIteration(record: RunRecord): number | null {
  const cpu = record.cpu;
  const rate = record.iterations.rate;
  if (!cpu || cpu.windowSeconds <= 0 || rate <= 0) return null;
  const own = cpu.host.cpuSeconds - (cpu.host.stealSeconds ?? 0);
  return own / cpu.windowSeconds / rate;
}

/** Each level's (users') replicates' CPU per iteration, the runs without one left out. */
function cpuPerIterationByLevel(records: readonly RunRecord[]): number[][] {
  const byUsers = new Map<number, number[]>();
  for (const r of records) {
    const x = cpuPerIteration(r);
    if (x === null) continue;
    byUsers.set(r.users, [...(byUsers.get(r.users) ?? []), x]);
  }
  return [...byUsers.values()];
}

/**
 * The relative spread of CPU per iteration between the replicates of one fit level (half their range
 * over their mean), the median over the fit levels with two replicates or more; null when none has.
 */
export function fitCpuSpread(records: readonly RunRecord[]): number | null {
  const spreads = cpuPerIterationByLevel(records)
    .filter((xs) => xs.length >= 2)
    .map((xs) => (Math.max(...xs) - Math.min(...xs)) / 2 / (xs.reduce((a, b) => a + b, 0) / xs.length));
  return spreads.length === 0 ? null : median(spreads);
}

/**
 * The relative standard deviation of CPU per iteration between the replicates of one fit level, pooled
 * over the fit levels with two replicates or more (each level's sample variance over its mean squared,
 * weighted by its degrees of freedom): the σ of the machine states (simulator machine-states.ts). Null
 * when no level has two.
 */
export function fitCpuSd(records: readonly RunRecord[]): number | null {
  let sum = 0;
  let df = 0;
  for (const xs of cpuPerIterationByLevel(records)) {
    if (xs.length < 2) continue;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    sum += xs.reduce((a, x) => a + (x - mean) ** 2, 0) / mean ** 2;
    df += xs.length - 1;
  }
  return df === 0 ? null : Math.sqrt(sum / df);
}

/** The endpoints of a p95 table the goal judges (the health probe left out), sorted. */
function judgedEndpoints(p95Ms: Record<string, unknown>): string[] {
  return Object.keys(p95Ms)
    .filter((e) => e !== 'healthz')
    .sort();
}

/** " (+x.x%)": a prediction off the measured figure, or nothing without both. */
function offMeasured(p: number | null | undefined, m: number | null | undefined): string {
  return typeof p === 'number' && typeof m === 'number' && m > 0
    ? ` (${p >= m ? '+' : ''}${(((p - m) / m) * 100).toFixed(1)}%)`
    : '';
}

function ms(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'unbounded' : x.toFixed(2);
}

/**
 * One line: each endpoint's predicted p95 at users × (1 − δ), as predicted, and at × (1 + δ), and the
 * measured p95 marked inside or outside that band.
 */
export function sensitivityLine(
  delta: number,
  low: Record<string, number | null>,
  mid: Record<string, number | null>,
  high: Record<string, number | null>,
  measured: Record<string, number | null>,
): string {
  const each = judgedEndpoints(mid)
    .map((e) => {
      const m = measured[e];
      const lo = low[e];
      const hi = high[e];
      // Unbounded above (the level saturates at × (1 + δ)) holds any measurement above the low end.
      const inside =
        typeof m === 'number' && typeof lo === 'number' && m >= lo && (typeof hi !== 'number' || m <= hi);
      return `${e} ${ms(lo)} / ${ms(mid[e])} / ${ms(hi)}${typeof m === 'number' ? ` (measured ${m.toFixed(2)}: ${inside ? 'inside' : 'outside'})` : ''}`;
    })
    .join(', ');
  const pct = (delta * 100).toFixed(1);
  return `  p95 predicted with ${pct} % less / as fitted / ${pct} % more CPU per request (the fit replicates' own spread; not the verdict): ${each}`;
}

/**
 * One line: each endpoint's p95 and the syncs in flight as the mean-value fixed point alone predicts
 * them (predictRun without the syncs' population), beside what was measured: which of the model's two
 * layers a level's error comes from.
 */
export function fixedPointLine(
  fixedPoint: Record<string, number | null>,
  fixedPointInFlight: number,
  measured: Record<string, number | null>,
  measuredInFlight: number | null,
): string {
  const each = judgedEndpoints(fixedPoint)
    .map((e) => {
      const p = fixedPoint[e];
      const off = offMeasured(p, measured[e]);
      return `${e} ${ms(p)}${off}`;
    })
    .join(', ');
  const inFlight = `in flight ${fixedPointInFlight.toFixed(2)}${measuredInFlight === null ? '' : ` (measured ${measuredInFlight.toFixed(2)})`}`;
  return `  p95 of the mean-value fixed point alone, without the syncs' population (not the verdict): ${each}; ${inFlight}`;
}

/**
 * One line: each endpoint's p95 predicted over the machine states of spread σ (the pooled mixture, and
 * the range of the states' own p95s), off the measured p95.
 */
export function machineStateLine(
  sigma: number,
  pooled: Record<string, number | null>,
  states: readonly Record<string, number | null>[],
  measured: Record<string, number | null>,
): string {
  const each = judgedEndpoints(pooled)
    .map((e) => {
      const p = pooled[e];
      const off = offMeasured(p, measured[e]);
      const own = states.map((s) => s[e]);
      const range = `${ms(own[0])}-${ms(own[own.length - 1])}`;
      return `${e} ${ms(p)}${off} [states ${range}]`;
    })
    .join(', ');
  return `  p95 over the machine states the fit replicates span (σ ${(sigma * 100).toFixed(1)} % of CPU per request, ${states.length} equally likely; not the verdict): ${each}`;
}
