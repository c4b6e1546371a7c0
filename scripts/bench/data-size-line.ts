import { mean } from 'simple-statistics';
import type { RunRecord } from '../../core/run-record.ts';
import { PAGE_READ_CPU_MS } from '../../simulator/index.ts';

// Whether a bench level's data fitted where its fit runs' did. bench:knee seeds each level with its
// own users, so a level past the fit's users holds more data than any fit run; the model predicts a
// run at its own data (rig-data-size.ts: the working-set model's reads on the run's shared_buffers). On
// 2026-12-06 (session 41, full sync, ci-smoke, 128 MB of shared_buffers) the fit runs at 2,000-5,000
// users read 0.04-2.1 pages a sync from outside shared_buffers (0.4 in the mean; hit ratio
// 0.995-0.9999), every level from 7,316 users on 19-28 (0.92-0.958): the syncing users' rows stopped fitting between 5,000 and
// 7,316 users. Printed beside the verdict, never part of it. Pure.

/** Database CPU of one page read from the OS page cache, µs (the simulator's measured PAGE_READ_CPU_MS). */
const PAGE_READ_CPU_US = {
  value: Math.round(PAGE_READ_CPU_MS.value * 1000),
  low: Math.round(PAGE_READ_CPU_MS.range.low * 1000),
  high: Math.round(PAGE_READ_CPU_MS.range.high * 1000),
};

/** Reads per iteration beyond the fit's from which the line says the level's data outgrew the fit's. */
export const OUTGROWN_READS_PER_ITERATION = 5;

/** One run's data: its database's size, shared_buffers, and its page reads from outside them. */
export interface RunData {
  sizeBytes: number;
  sharedBuffersBytes: number;
  /** Pages read into shared_buffers per completed iteration. */
  readsPerIteration: number;
  hitRatio: number | null;
}

/** A run's data, or null when it recorded no database activity or no iteration. */
export function runDataOf(record: RunRecord): RunData | null {
  const d = record.database;
  const n = record.iterations.completed;
  if (!d || !(n > 0)) return null;
  return {
    sizeBytes: d.sizeBytes,
    sharedBuffersBytes: d.sharedBuffersBytes,
    readsPerIteration: d.blocksRead / n,
    hitRatio: d.hitRatio,
  };
}

const MB = 1024 * 1024;
const mb = (bytes: number): string => `${Math.round(bytes / MB).toLocaleString('en-US')} MB`;
const hit = (h: number | null): string => (h === null ? 'n/a' : h.toFixed(4));

/**
 * One level's data against its fit runs', in one line: the database's size on its shared_buffers, the
 * page reads an iteration from outside them and the hit ratio, the working-set model's reads there when
 * given (`modelReads`, page-reads.ts: a check of the model deployments' page reads rest on), and, when
 * the level reads OUTGROWN_READS_PER_ITERATION or more beyond the fit, the database CPU those reads
 * cost at PAGE_READ_CPU_US, the price at which run predictions carry the model's reads (rig-data-size.ts).
 */
export function dataSizeLine(
  level: readonly (RunData | null)[],
  fit: readonly (RunData | null)[],
  modelReads: number | null = null,
): string {
  const lv = level.filter((x): x is RunData => x !== null);
  const ft = fit.filter((x): x is RunData => x !== null);
  if (lv.length === 0 || ft.length === 0) return '  data: no database activity recorded (no data-size check)';
  const reads = mean(lv.map((x) => x.readsPerIteration));
  const fitReads = mean(ft.map((x) => x.readsPerIteration));
  const smallest = Math.min(...ft.map((x) => x.sizeBytes));
  const largest = Math.max(...ft.map((x) => x.sizeBytes));
  const fitSpan =
    smallest === largest
      ? mb(largest)
      : `${Math.round(smallest / MB).toLocaleString('en-US')}-${mb(largest)}`;
  const hits = (xs: RunData[]) => mean(xs.map((x) => x.hitRatio).filter((h): h is number => h !== null));
  const lvHit = lv.some((x) => x.hitRatio !== null) ? hits(lv) : null;
  const ftHit = ft.some((x) => x.hitRatio !== null) ? hits(ft) : null;
  const model = modelReads === null ? '' : ` (the working-set model: ${modelReads.toFixed(1)})`;
  const base = `  data: ${mb(mean(lv.map((x) => x.sizeBytes)))} on ${mb(lv[0]!.sharedBuffersBytes)} of shared_buffers, ${reads.toFixed(1)} page reads an iteration from outside them${model} (hit ratio ${hit(lvHit)}), the fit runs' ${fitReads.toFixed(1)} (${hit(ftHit)}) at ${fitSpan}`;
  const extra = reads - fitReads;
  if (extra < OUTGROWN_READS_PER_ITERATION) return base;
  const ms = (us: number): string => ((extra * us) / 1000).toFixed(2);
  return `${base}: its data outgrew the fit's, about +${ms(PAGE_READ_CPU_US.value)} ms of database CPU an iteration (${ms(PAGE_READ_CPU_US.low)}-${ms(PAGE_READ_CPU_US.high)}; ${PAGE_READ_CPU_US.value} µs a read, measured once); the prediction carries its modelled reads at that price (rig-data-size.ts)`;
}
