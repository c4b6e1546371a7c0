import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { Calibration, OwnPageReads } from './calibration.ts';
import { PAGE_READ_CPU_MS, pageReadStatementMs } from './data-size-demand.ts';
import { type PageReads, pageReads, SEEDED_ROWS_PER_PAGE } from './page-reads.ts';

// A run on the rig predicted at its own data (issue 12, items 3 and 4: each held-out run "as it was
// run"). bench:knee seeds every level with its own users, so a level past the fit's users holds more
// data than any fit run, and past ~6,000 users of ci-smoke the syncing users' rows no longer fit in
// 128 MB of shared_buffers: every level from 7,316 users read 19-28 pages a sync from outside them
// where the fit runs read 0.4 (docs/knee-bench-log.md, session 41). Each such page is a read from the
// OS page cache (the rig's RAM holds the whole database), which costs the database CPU, measured:
// PAGE_READ_CPU_MS. The pages come from the working-set model (page-reads.ts) at the run's users, the
// seeder's layout, every seeded syncing user looping, on the shared_buffers the run's record names.
// The fit runs' statement times hold their own data's reads already: the same model at each fit run's
// users and shared_buffers, calls-weighted over the runs (ownPageReadsOf, Calibration.ownPageReads),
// so a run gains only the reads beyond the fit's, and a run on less data than the fit's loses the
// difference. A page read is CPU; a statement's time is its CPU over the calibration's CPU
// share of statement time (cpu.ts dbCpuMsOf), so a statement of a kind gains
//   PAGE_READ_CPU_MS × (pages read by a statement of that kind − the fit's) / cpuShareOfDbTime
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
 * Pages an iteration of a run on the rig reads from outside its shared_buffers (rigPageReadsOf): the
 * run's own iteration rates (run.json arrivalRates) say what share of its iterations are syncs (the
 * rest, /api/message and health checks, read no page here).
 */
export function rigReadsPerIteration(
  profile: Profile,
  policy: Policy,
  users: number,
  sharedBuffersBytes: number,
  arrivalRates: Record<string, number>,
): number {
  const r = rigPageReadsOf({ profile, policy, users, sharedBuffersBytes });
  const iterations = Object.values(arrivalRates).reduce((s, x) => s + x, 0);
  return iterations > 0 ? (r.perSync * (arrivalRates.sync ?? 0)) / iterations : 0;
}

/** A calibration run's data and the statements of each kind (demand key) it ran, for ownPageReadsOf. */
export interface FitRunData extends RigData {
  id: string;
  calls: Record<string, number>;
}

/**
 * The pages a statement of each kind read from outside shared_buffers in the calibration runs' own
 * data, by the rig's model (rigPageReadsOf at each run's users and shared_buffers), weighted by each
 * run's statements of that kind as the demands are; null when no run read any (every run's data fitted).
 */
export function ownPageReadsOf(runs: FitRunData[]): OwnPageReads | null {
  const acc = new Map<string, { calls: number; pages: number }>();
  const read: string[] = [];
  for (const run of runs) {
    const reads = rigPageReadsOf(run);
    if (reads.perSync > 0) read.push(`${run.id} ${n(reads.perSync)} a sync at ${n(run.users)} users`);
    for (const [kind, pages] of Object.entries(reads.perStatement)) {
      const calls = run.calls[kind] ?? 0;
      if (!(calls > 0)) continue;
      const a = acc.get(kind) ?? { calls: 0, pages: 0 };
      a.calls += calls;
      a.pages += calls * pages;
      acc.set(kind, a);
    }
  }
  const perStatement: Record<string, number> = {};
  for (const [kind, a] of acc) if (a.pages > 0) perStatement[kind] = a.pages / a.calls;
  if (Object.keys(perStatement).length === 0) return null;
  const each = Object.entries(perStatement).map(([k, p]) => `${k} ${n(p)}`);
  return {
    perStatement,
    source: `the calibration runs' own data read pages from outside shared_buffers (rig-data-size.ts, the seeder's layout): ${read.join('; ')}; a statement, calls-weighted: ${each.join(', ')}`,
  };
}

/**
 * The calibration carried to a rig run's data: each sync statement's demand (and base latency) gains
 * the page reads from outside the run's shared_buffers (`reads`, rigPageReadsOf) beyond those of the
 * calibration runs' own data (`cal.ownPageReads`), pageReadStatementMs each, with a note of the reads;
 * unchanged when they are the same (both fit, most often) or the calibration measured nothing.
 */
export function rigCalibrationAtData(
  cal: Calibration,
  run: RigData,
  reads: PageReads = rigPageReadsOf(run),
): Calibration {
  if (!cal.calibrated || !(run.sharedBuffersBytes > 0)) return cal;
  const own = cal.ownPageReads?.perStatement ?? {};
  const kinds = [...new Set([...Object.keys(reads.perStatement), ...Object.keys(own)])];
  const perRead = pageReadStatementMs(cal);
  const demands = { ...cal.demands };
  const baseLatency = cal.baseLatency ? { ...cal.baseLatency } : undefined;
  const added: string[] = [];
  for (const kind of kinds) {
    const d = cal.demands[kind];
    const mine = reads.perStatement[kind] ?? 0;
    const theirs = own[kind] ?? 0;
    const pages = mine - theirs;
    if (!d || pages === 0) continue;
    const ms = Math.max(-d.meanMs, pages * perRead);
    demands[kind] = { ...d, meanMs: d.meanMs + ms };
    const b = baseLatency?.[kind];
    if (baseLatency && b)
      baseLatency[kind] = {
        ...b,
        medianMs: Math.max(0, b.medianMs + ms),
        p95Ms: Math.max(0, b.p95Ms + ms),
      };
    const fit = theirs > 0 ? ` − the fit's ${n(theirs)}` : '';
    added.push(`${kind} ${ms >= 0 ? '+' : '−'}${n(Math.abs(ms))} ms (${n(mine)} pages${fit})`);
  }
  if (added.length === 0) return cal;
  const mb = (b: number): string => `${Math.round(b / 2 ** 20).toLocaleString('en-US')} MB`;
  const note = `data of the run (rig-data-size.ts): ${n(run.users)} seeded users' working set ${mb(reads.workingSetBytes)} on ${mb(run.sharedBuffersBytes)} of shared_buffers, ${n(reads.perSync)} pages a sync read from the OS page cache at ${PAGE_READ_CPU_MS.value} ms of database CPU each (${PAGE_READ_CPU_MS.source}; ${PAGE_READ_CPU_MS.range.low}-${PAGE_READ_CPU_MS.range.high}), ÷ ${n(cal.cpuShareOfDbTime)} CPU share of statement time: ${added.join(', ')}`;
  return { ...cal, demands, ...(baseLatency ? { baseLatency } : {}), notes: [...cal.notes, note] };
}
