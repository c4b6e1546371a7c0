import type { Assumption, Assumptions } from './assumptions.ts';

// The deployment's data dials as the data-size carry and the database memory read them (issue 12,
// item 3): the assumptions of group 'data' (assumptions.ts), each with its value and where it comes
// from, so `--set`, a profile's `assumptions:`, the sensitivity and the Monte Carlo turn them like any
// other. Pure.

/** One dial as the carry reads it: its value, and its source with its range (and who set it). */
export interface DataSizeSetting {
  value: number;
  source: string;
}

/** The data dials of one prediction. */
export interface DataSizeSettings {
  /** Rows of one user's sync that share a heap page (heapRowsPerPage). */
  rowsPerPage: DataSizeSetting;
  /** Share of the compute size's RAM in shared_buffers (sharedBuffersShare). */
  sharedBuffersShare: DataSizeSetting;
  /** Share of its RAM the OS page cache holds database pages in (pageCacheShare). */
  pageCacheShare: DataSizeSetting;
  /** Pages the page cache takes in, never used again, per page shared_buffers misses (pageCacheInflow). */
  pageCacheInflow: DataSizeSetting;
  /** Time of one page read from the disk, ms (diskReadMs). */
  diskReadMs: DataSizeSetting;
  /** The disk's write operations per commit that writes: its WAL flush and its share of checkpoints (diskWritesPerCommit). */
  diskWritesPerCommit: DataSizeSetting;
}

/** An assumption as a setting: its source with its range, and who set it when not its base. */
function settingOf(a: Assumption): DataSizeSetting {
  const range = `${a.range.low}-${a.range.high}`;
  return {
    value: a.value,
    source: a.setBy ? `${a.source}; ${range}; set by ${a.setBy}` : `${a.source}; ${range}`,
  };
}

/** The data dials of `assumptions`. */
export function dataSizeSettingsOf(assumptions: Assumptions): DataSizeSettings {
  return {
    rowsPerPage: settingOf(assumptions.heapRowsPerPage),
    sharedBuffersShare: settingOf(assumptions.sharedBuffersShare),
    pageCacheShare: settingOf(assumptions.pageCacheShare),
    pageCacheInflow: settingOf(assumptions.pageCacheInflow),
    diskReadMs: settingOf(assumptions.diskReadMs),
    diskWritesPerCommit: settingOf(assumptions.diskWritesPerCommit),
  };
}
