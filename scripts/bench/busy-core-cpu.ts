import { median } from 'simple-statistics';
import type { RunRecord } from '../../core/run-record.ts';
import { processMsPerIteration } from '../../simulator/index.ts';

// What a fit level's CPU per iteration becomes when no core idles (scripts/run/busy-cores.ts): the run
// with the cores kept busy beside the level's plain replicates, process by process. Near the knee the
// cores stop idling by themselves, and the CPU a wake-up onto an idle vCPU costs goes with it (session
// 20: a fifth of a sync's CPU at 2,000 users); the fit levels alone cannot show it. The calibration
// reads these runs for that cost (simulator/idle-vcpu-wake.ts); this line shows them. Pure.

/** The processes whose CPU the line compares, as the run record names them, and how it prints them. */
const PROCESSES = [
  ['target', 'target'],
  ['database', 'database'],
  ['loadGenerator', 'k6'],
] as const;

/** A run's CPU per iteration of each process, ms (null where the record did not follow it). */
export function processCpuPerIteration(record: RunRecord): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, name] of PROCESSES) out[name] = processMsPerIteration(record, key);
  return out;
}

/**
 * One line: each process's CPU per iteration in the busy-core run(s) against the median of the level's
 * plain replicates, and the three together; says so when either side is missing.
 */
export function busyCoreLine(users: number, plain: readonly RunRecord[], busy: readonly RunRecord[]): string {
  const head = `  CPU per iteration with every core kept from idling (${users} users; not a fit run: read for the idle-vCPU wake cost)`;
  if (plain.length === 0 || busy.length === 0)
    return `${head}: no ${busy.length === 0 ? 'busy-core' : 'plain'} run`;
  const of = (runs: readonly RunRecord[], name: string): number | null => {
    const xs = runs.map((r) => processCpuPerIteration(r)[name]).filter((x): x is number => x != null);
    return xs.length === 0 ? null : median(xs);
  };
  let plainSum = 0;
  let busySum = 0;
  const each = PROCESSES.flatMap(([, name]) => {
    const p = of(plain, name);
    const b = of(busy, name);
    if (p === null || b === null) return [];
    plainSum += p;
    busySum += b;
    return [
      `${name} ${b.toFixed(1)} ms (plain ${p.toFixed(1)}, ${b >= p ? '+' : ''}${(((b - p) / p) * 100).toFixed(0)} %)`,
    ];
  });
  if (each.length === 0) return `${head}: no process CPU recorded`;
  return `${head}: ${each.join(', ')}; together ${busySum.toFixed(1)} against ${plainSum.toFixed(1)} (${busySum >= plainSum ? '+' : ''}${(((busySum - plainSum) / plainSum) * 100).toFixed(0)} %)`;
}
