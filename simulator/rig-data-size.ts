import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { Calibration } from './calibration.ts';
import { PAGE_READ_CPU_MS, pageReadStatementMs } from './data-size-demand.ts';
import { type PageReads, pageReads, SEEDED_ROWS_PER_PAGE } from './page-reads.ts';

// A run on the rig predicted at its own data (issue 12, items 3 and 4: each held-out run "as it was
// run"). bench:knee seeds every level with its own users, so a level past the fit's users holds more
// data than any fit run, and past ~6,000 users of ci-smoke the syncing users' rows no longer fit in
// 128 MB of shared_buffers: every level from 7,316 users read 19-28 pages a sync from outside them
// where the fit runs read 0.4 (docs/knee-bench-log.md, session 41). Each such page is a read from the
// OS page cache (the rig's RAM holds the whole database), which costs the database CPU, measured:
// PAGE_READ_CPU_MS. The pages come from the working-set model (page-reads.ts) at the run's users, the
// seeder's layout, every seeded syncing user looping, on the shared_buffers the run's record names;
// the fit runs' own reads are taken as none, as the deployments' carry takes them
// (data-size-demand.ts). A page read is CPU; a statement's time is its CPU over the calibration's CPU
// share of statement time (cpu.ts dbCpuMsOf), so a statement of a kind gains
//   PAGE_READ_CPU_MS × pages read by a statement of that kind / cpuShareOfDbTime
// of time, and with it exactly PAGE_READ_CPU_MS of database CPU a page; its base latency moves by the
// same ms. Pure.

/** A run on the rig whose data the prediction carries: its profile and policy, its seeded users, its shared_buffers. */
export interface RigData {
  profile: Profile;
  policy: Policy;
  users: number;
  sharedBuffersBytes: number;
}

const figures = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const n = (x: number): string => figures.format(x);

/** Pages a rig run's statements read from outside its shared_buffers: the seeder's layout, every seeded syncing user looping. */
export function rigPageReadsOf(run: RigData): PageReads {
  return pageReads(
    run.profile,
    run.policy,
    run.users,
    {
      rowsPerPage: SEEDED_ROWS_PER_PAGE,
      messagesPerConversation: run.profile.messagesPerConversation.mean,
      looping: 'seeded',
    },
    run.sharedBuffersBytes,
  );
}

/**
 * The calibration carried to a rig run's data: each sync statement's demand (and base latency) gains
 * the page reads from outside the run's shared_buffers (`reads`, rigPageReadsOf; pageReadStatementMs
 * each), with a note of the reads; unchanged when the working set fits or the calibration measured
 * nothing.
 */
export function rigCalibrationAtData(
  cal: Calibration,
  run: RigData,
  reads: PageReads = rigPageReadsOf(run),
): Calibration {
  if (!cal.calibrated || !(run.sharedBuffersBytes > 0) || !(reads.perSync > 0)) return cal;
  const perRead = pageReadStatementMs(cal);
  const demands = { ...cal.demands };
  const baseLatency = cal.baseLatency ? { ...cal.baseLatency } : undefined;
  const added: string[] = [];
  for (const [kind, pages] of Object.entries(reads.perStatement)) {
    const d = cal.demands[kind];
    if (!d || !(pages > 0)) continue;
    const ms = pages * perRead;
    demands[kind] = { ...d, meanMs: d.meanMs + ms };
    const b = baseLatency?.[kind];
    if (baseLatency && b) baseLatency[kind] = { ...b, medianMs: b.medianMs + ms, p95Ms: b.p95Ms + ms };
    added.push(`${kind} +${n(ms)} ms (${n(pages)} pages)`);
  }
  const mb = (b: number): string => `${Math.round(b / 2 ** 20).toLocaleString('en-US')} MB`;
  const note = `data of the run (rig-data-size.ts): ${n(run.users)} seeded users' working set ${mb(reads.workingSetBytes)} on ${mb(run.sharedBuffersBytes)} of shared_buffers, ${n(reads.perSync)} pages a sync read from the OS page cache at ${PAGE_READ_CPU_MS.value} ms of database CPU each (${PAGE_READ_CPU_MS.source}; ${PAGE_READ_CPU_MS.range.low}-${PAGE_READ_CPU_MS.range.high}), ÷ ${n(cal.cpuShareOfDbTime)} CPU share of statement time: ${added.join(', ')}`;
  return { ...cal, demands, ...(baseLatency ? { baseLatency } : {}), notes: [...cal.notes, note] };
}
