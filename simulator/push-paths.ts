import type { RunRecord } from '../core/run-record.ts';
import type { Calibration } from './calibration.ts';
import { ENDPOINTS } from './workload.ts';

// The push's two paths (issue 12, session 46). A sync's push is an empty batch most of the time and
// carries a row with the profile's change share (scenarios/lib/sync.ts, 5 %): on the reference backend
// the empty one answers without the database and the other runs a write, so their latencies form two
// modes with a gap (about 0.6-0.8 ms and over 1.1 ms on the rig). With 5 % rows the endpoint's p95 sits
// on that gap, and one log-normal fitted to its median and p95 reads whichever mode a fit run's p95
// fell in by chance. k6 tags each push `batch: empty | rows`, the record keeps their summaries apart
// (`batches`), and the model predicts each path on its own and the endpoint as their mixture.

/** The record's keys of the push's two paths (`<endpoint>/<batch tag>`). */
export const PUSH_PATHS = { empty: `${ENDPOINTS.push}/empty`, rows: `${ENDPOINTS.push}/rows` } as const;

/** The endpoint and path of a record's batch key (`rest.push/rows`), or null for another key. */
export function pushPathOf(key: string): { endpoint: string; rows: boolean } | null {
  if (key === PUSH_PATHS.empty) return { endpoint: ENDPOINTS.push, rows: false };
  if (key === PUSH_PATHS.rows) return { endpoint: ENDPOINTS.push, rows: true };
  return null;
}

/**
 * The share of pushes with a row over the records that keep the two paths apart (their requests
 * pooled), with its source; null when none does.
 */
export function pushRowShareOf(records: RunRecord[]): { share: number; source: string } | null {
  let rows = 0;
  let all = 0;
  const ids: string[] = [];
  for (const r of records) {
    const withRows = r.batches?.[PUSH_PATHS.rows]?.count ?? 0;
    const empty = r.batches?.[PUSH_PATHS.empty]?.count ?? 0;
    if (withRows + empty === 0) continue;
    rows += withRows;
    all += withRows + empty;
    ids.push(r.id);
  }
  if (all === 0) return null;
  return {
    share: rows / all,
    source: `calibrated: ${rows} of ${all} pushes carried a row in runs ${ids.join(', ')} (k6's batch tag)`,
  };
}

/** Whether a calibration predicts the push as its two paths: both paths' base latencies and the share. */
export function hasPushPaths(cal: Pick<Calibration, 'baseLatency' | 'batchShare'>): boolean {
  return (
    cal.baseLatency?.[PUSH_PATHS.empty] !== undefined &&
    cal.baseLatency?.[PUSH_PATHS.rows] !== undefined &&
    cal.batchShare?.[PUSH_PATHS.rows] !== undefined
  );
}
