import type { Profile } from '../core/profile.ts';
import type { Calibration } from './calibration.ts';
import type { DatabaseMemory } from './data-size-demand.ts';
import type { DataSizeSettings } from './data-size-settings.ts';
import { resource } from './model-queues.ts';
import type { ResourcePrediction } from './prediction.ts';
import { queue } from './queueing.ts';
import { ENDPOINTS, QUERIES_PER_MESSAGE } from './workload.ts';

// The database's disk as a resource (issue 12, item 3): the pages the statements read from the disk at
// the prediction's data size (the data-size carry's reads per statement) against the compute size's
// sustained IOPS, as one server serving a read every 1 / IOPS seconds (a throttle: M/D/1). A read's own
// latency is in the statement's demand (ServiceDemand.ioMs); this resource says whether the disk can
// serve them at all, and the decision rule's utilisation ceiling applies to it as to the rest. Writes
// count too, as the IOPS do: each commit that writes flushes the WAL (and dirties pages a checkpoint
// writes later), the carry's writes per statement. Pure.

/** A figure as the notes print it: thousands separated, at most `digits` decimals. */
const figure = (x: number, digits = 3): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits });

/** Commits that write per /api/message: the user's message, then the reply with the conversation and daily usage (backend/message-route.ts). */
export const WRITING_COMMITS_PER_MESSAGE = 2;

/**
 * The disk's write operations per statement kind: an /api/message's two writing commits over its
 * statements, and a sync's push when it carries a change (the profile's changeSharePer30s), each
 * × `diskWritesPerCommit`; reads-only statements none.
 */
export function diskWritesOf(
  profile: Profile,
  settings: Pick<DataSizeSettings, 'diskWritesPerCommit'>,
): { perStatement: Record<string, number>; text: string } {
  const w = settings.diskWritesPerCommit.value;
  const perMessage = (WRITING_COMMITS_PER_MESSAGE / QUERIES_PER_MESSAGE) * w;
  const perPush = profile.changeSharePer30s * w;
  return {
    perStatement: { [ENDPOINTS.message]: perMessage, [ENDPOINTS.push]: perPush },
    text: `writes: ${WRITING_COMMITS_PER_MESSAGE} writing commits an /api/message (over its ${QUERIES_PER_MESSAGE} statements) and ${figure(profile.changeSharePer30s)} a push (the profile's changeSharePer30s), × ${figure(w)} disk writes a commit (${settings.diskWritesPerCommit.source})`,
  };
}

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
  return [
    resource(
      'db.disk',
      q,
      `${figure(reads, 1)} page reads and ${figure(writes, 1)} writes a second on the disk (${cal.disk.source}) on ${memory.iops.source}`,
    ),
  ];
}
