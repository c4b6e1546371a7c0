import type { Calibration } from './calibration.ts';
import type { DatabaseMemory } from './data-size-demand.ts';
import { resource } from './model-queues.ts';
import type { ResourcePrediction } from './prediction.ts';
import { queue } from './queueing.ts';

// The database's disk as a resource (issue 12, item 3): the pages the statements read from the disk at
// the prediction's data size (the data-size carry's reads per statement) against the compute size's
// sustained IOPS, as one server serving a read every 1 / IOPS seconds (a throttle: M/D/1). A read's own
// latency is in the statement's demand (ServiceDemand.ioMs); this resource says whether the disk can
// serve them at all, and the decision rule's utilisation ceiling applies to it as to the rest. Writes
// count too, as the IOPS do: each commit that writes flushes the WAL (and dirties pages a checkpoint
// writes later), the carry's writes per statement. Pure.

/** Page reads a second the statements send to the disk (rate × reads per statement, every kind). */
export function diskReadsPerSecond(cal: Calibration, statementRates: Record<string, number>): number {
  const reads = cal.disk?.readsPerStatement ?? {};
  return Object.entries(statementRates).reduce((s, [k, r]) => s + r * (reads[k] ?? 0), 0);
}

/** Write operations a second the statements send to the disk (rate × writes per statement, every kind). */
export function diskWritesPerSecond(cal: Calibration, statementRates: Record<string, number>): number {
  const writes = cal.disk?.writesPerStatement ?? {};
  return Object.entries(statementRates).reduce((s, [k, r]) => s + r * (writes[k] ?? 0), 0);
}

/** The disk's resource `db.disk` when the calibration carries disk reads and the memory knows its IOPS; else none. */
export function diskResources(
  cal: Calibration,
  statementRates: Record<string, number>,
  memory: DatabaseMemory | undefined,
): ResourcePrediction[] {
  if (!cal.disk || !memory?.iops) return [];
  const reads = diskReadsPerSecond(cal, statementRates);
  const writes = diskWritesPerSecond(cal, statementRates);
  const q = queue(1, reads + writes, 1000 / memory.iops.baseline, 0);
  const f = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return [
    resource(
      'db.disk',
      q,
      `${f(reads)} page reads and ${f(writes)} writes a second on the disk (${cal.disk.source}) on ${memory.iops.source}`,
    ),
  ];
}
