import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import { ACTIVITY_CLASSES } from '../core/profile.ts';
import type { RunRecord } from '../core/run-record.ts';
import type { PredictionDetail } from './analytic.ts';
import type { Calibration } from './calibration.ts';
import { type DataSizeFit, type DataSizePoint, fitDataSize, seededMessages } from './data-size.ts';
import type { DataSizeSettings } from './data-size-settings.ts';
import { diskWritesOf } from './disk-resource.ts';
import { workingSetOf } from './page-reads.ts';
import { ENDPOINTS, MESSAGES_PER_CHANGED_CONVERSATION, workloadAt } from './workload.ts';

// The calibration carried from the seeded dataset its runs measured to the data size of the users a
// prediction is for (issue 12, item 3): N users × conversations × the analysis's reference messages per
// conversation (at 1k, 10k and 100k users the database holds 1k, 10k and 100k users' messages), on the
// memory of the deployment's compute size. Per statement kind, the demand measured on the seed gains
//   msPerRow × (rows returned at the reference − on the seed)
//   + pageReadMs × (pages read from the OS page cache: missed by shared_buffers, held by the page cache)
//   + diskReadMs × (pages read from the disk: missed by both)
// with the pages read by working set (page-reads.ts): the syncing users online at the peak, each
// reading its own rows' heap pages once an interval, and the index pages the statements walk, kept in
// shared_buffers by Che's approximation of an LRU cache and in the OS page cache, which sees
// shared_buffers' misses, by the same approximation with an inflow of pages never used again
// (working-set.ts). How many of a user's rows share a heap page is
// the `heapRowsPerPage` assumption. The disk's time is not CPU (ServiceDemand.ioMs): the connection is
// held through it, the database's cores are not, and the calibration carries the disk reads per
// statement for the disk's own resource (db.disk, disk-resource.ts). pageReadMs comes from the
// table-size fit when there is one, else from the rig's measured CPU a read over the calibration's
// CPU share of statement time (pageReadStatementMs). The calibration runs' own reads from
// the OS page cache (the rig's model at their data, Calibration.ownPageReads) are in their demands
// already and are subtracted; their hit ratio is in the note. Pure: the run records are read at the edge.

/** A dial of the carry, as assumptions.ts gives its own: value, unit, source and a plausible range. */
export interface DataSizeAssumption {
  value: number;
  unit: string;
  source: string;
  range: { low: number; base: number; high: number };
}

/** Database time of one more row returned from memory (executor and output of a ~700-byte message row). */
export const MS_PER_ROW: DataSizeAssumption = {
  value: 0.005,
  unit: 'ms per row',
  source:
    'assumption: a few µs per row found in memory; not measured (table-size runs return the same rows at every size)',
  range: { low: 0.002, base: 0.005, high: 0.02 },
};

/**
 * Database CPU of one page read from the OS page cache into shared_buffers, ms, when no table-size fit
 * gives one. Measured, 2026-12-06 (session 41): full sync at 3,500 users' rate on a database of 3,500
 * users (0.5-1.4 reads a sync) and on one of 11,724 (25.5-26.0), three runs each, alternated: the
 * database's CPU a sync 24.2 / 24.2 / 24.4 against 24.9 / 25.6 / 24.9 ms, +0.9 ms for 25 reads.
 */
export const PAGE_READ_CPU_MS: DataSizeAssumption = {
  value: 0.036,
  unit: 'ms per page read',
  source:
    'measured on the rig, 2026-12-06: +0.9 ms of database CPU a sync for 25 reads from the OS page cache (docs/knee-bench-log.md, session 41)',
  range: { low: 0.019, base: 0.036, high: 0.055 },
};

/**
 * Statement time one page read from the OS page cache adds, ms: its measured CPU (PAGE_READ_CPU_MS)
 * over the calibration's CPU share of statement time, so that the database's CPU (cpu.ts dbCpuMsOf:
 * statement time × that share) gains exactly the measured CPU a read.
 */
export function pageReadStatementMs(cal: Calibration): number {
  return cal.cpuShareOfDbTime > 0 ? PAGE_READ_CPU_MS.value / cal.cpuShareOfDbTime : PAGE_READ_CPU_MS.value;
}

/** The seeded dataset the calibration's runs measured: messages, database bytes and shared_buffers. */
export interface SeededDataset {
  messages: number;
  /** Messages per conversation of the seed (its profile's mean). */
  messagesPerConversation: number;
  /** Its database's hit ratio in shared_buffers (run.json database.hitRatio); null: not measured. */
  hitRatio: number | null;
  bytes: number;
  memoryBytes: number;
  /** The run (folder name) the figures come from. */
  run: string;
}

/** What carrying a calibration to a profile's data size reads (dataSizeInputOf builds it from run records). */
export interface DataSizeInput {
  /** Base and miss cost per page from plain table-size runs at two or more sizes; null: none. */
  fit: DataSizeFit | null;
  /** The table-size runs the fit rests on. */
  fitRuns: string[];
  /** The calibration runs' seeded dataset; null when none measured its database (`database` in run.json). */
  seeded: SeededDataset | null;
}

/** The database memory of the deployment a prediction is for, bytes, and where that comes from. */
export interface DatabaseMemory {
  /** shared_buffers, bytes. */
  bytes: number;
  /** The OS page cache's bytes for database pages (it sees shared_buffers' misses). */
  cacheBytes: number;
  /** The disk's sustained and burst page reads a second; null: not known (no db.disk resource). */
  iops: { baseline: number; max: number; source: string } | null;
  source: string;
}

/** What a model context holds to give each prediction its own data size: the carry, and the memory it runs on. */
export interface DataSizeContext {
  carry: DataSizeCarry;
  memory: DatabaseMemory;
  /** The data dials, for the memory of another compute size. */
  settings: DataSizeSettings;
}

/**
 * The data-size input from the calibration runs (one profile; the largest seeded dataset among those
 * that measured their database) and every table-size run read (plain schema, any profile).
 */
export function dataSizeInputOf(
  calibrationRuns: { name: string; record: RunRecord }[],
  points: DataSizePoint[],
): DataSizeInput {
  const plain = points.filter((p) => p.schema === 'plain');
  let seeded: SeededDataset | null = null;
  for (const { name, record } of calibrationRuns) {
    const messages = seededMessages(record);
    if (!record.database || messages === null || messages <= 0) continue;
    if (seeded === null || messages > seeded.messages)
      seeded = {
        messages,
        messagesPerConversation: messages / (record.users * profileConversations(record)),
        hitRatio: record.database.hitRatio ?? null,
        bytes: record.database.sizeBytes,
        memoryBytes: record.database.sharedBuffersBytes,
        run: name,
      };
  }
  const fit = fitDataSize(plain);
  return { fit, fitRuns: fit ? plain.map((p) => p.run) : [], seeded };
}

/** Conversations per user of a run's profile (its mean; 1 when the record does not say). */
function profileConversations(record: RunRecord): number {
  const c = (record.profile as { conversationsPerUser?: { mean?: unknown } }).conversationsPerUser?.mean;
  return typeof c === 'number' && c > 0 ? c : 1;
}

/**
 * Rows one statement of each kind returns, expected over the activity classes (weighted by their syncs),
 * when conversations hold `messagesPerConversation` messages: a full sync's messages statement returns a
 * whole conversation, a delta sync's the changed ones' new messages; writes return none.
 */
export function rowsPerStatement(
  profile: Profile,
  policy: Policy,
  messagesPerConversation: number,
): Record<string, number> {
  const w = workloadAt(profile, policy, 1, { messagesPerConversation });
  const rates = ACTIVITY_CLASSES.map((c) => w.syncsPerSecondByClass[c]);
  const total = rates.reduce((a, b) => a + b, 0);
  const weight = (i: number): number => (total > 0 ? (rates[i] as number) / total : i === 0 ? 1 : 0);
  const mean = (pick: (i: number) => number): number =>
    ACTIVITY_CLASSES.reduce((s, _c, i) => s + weight(i) * pick(i), 0);
  const cost = (i: number) => w.syncCostByClass[ACTIVITY_CLASSES[i]!];
  const full = policy.sync.mode === 'full';
  const statements = mean((i) => cost(i).anyChangeShare);
  return {
    [ENDPOINTS.conversations]: full
      ? profile.conversationsPerUser.mean
      : mean((i) => cost(i).changedConversations),
    [ENDPOINTS.messages]: full
      ? messagesPerConversation
      : statements > 0
        ? mean((i) => cost(i).changedConversations * MESSAGES_PER_CHANGED_CONVERSATION) / statements
        : 0,
    [ENDPOINTS.push]: 0,
    [ENDPOINTS.message]: 0,
  };
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
const gb = (b: number): string => `${(b / 1e9).toFixed(1)} GB`;
// One formatter for every figure: Number.toLocaleString builds a new one per call, and the carry runs
// once per number of users a search tries.
const figures = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const n = (x: number): string => figures.format(x);

/** The carry of one calibration to the data size of any number of users (built once by {@link dataSizeCarry}). */
export interface DataSizeCarry {
  /**
   * The calibration carried to the data `users` registered users hold, on `memory` of database buffers.
   * `rule`: the demands and base latencies alone, sources and notes left as on the seed (for searches
   * that keep the verdict alone: writing out the working costs more than the carry).
   */
  at(users: number, memory: DatabaseMemory, detail?: PredictionDetail): Calibration;
}

/** Carried calibrations a carry keeps (a search asks again for the same users on each compute size). */
const CARRY_CACHE_ENTRIES = 64;

/**
 * Prepares the carry of `cal` for `profile` under `policy` (pure): the rows per statement do not depend
 * on the number of users, so they are worked out once; `at(users, memory)` then carries every statement
 * kind's demand (and base latency, shifted by the same ms) to users × conversations × the reference
 * messages per conversation, its pages read by working set on `memory`'s shared_buffers and RAM, and
 * records the disk reads per statement. A note says what was carried, or "data size not calibrated"
 * and why when there are no calibration runs.
 */
export function dataSizeCarry(
  cal: Calibration,
  input: DataSizeInput,
  profile: Profile,
  policy: Policy,
  settings: DataSizeSettings,
): DataSizeCarry {
  const perUser = profile.conversationsPerUser.mean * profile.messagesPerConversation.reference;
  const size = (users: number): string =>
    `${n(users)} users of ${profile.name} hold ${n(users * perUser)} messages (${n(users)} × ${n(profile.conversationsPerUser.mean)} conversations × ${n(profile.messagesPerConversation.reference)}, the reference)`;
  const cache = new Map<string, Calibration>();
  const memoised =
    (carry: (users: number, memory: DatabaseMemory, text: boolean) => Calibration) =>
    (users: number, memory: DatabaseMemory, detail: PredictionDetail = 'full'): Calibration => {
      const key = `${users}|${memory.bytes}|${memory.cacheBytes}|${memory.source}|${detail}`;
      const hit = cache.get(key);
      if (hit) return hit;
      if (cache.size >= CARRY_CACHE_ENTRIES) cache.clear();
      const out = carry(users, memory, detail === 'full');
      cache.set(key, out);
      return out;
    };
  if (!cal.calibrated)
    return {
      at: memoised((users, _memory, text) =>
        text
          ? {
              ...cal,
              notes: [
                ...cal.notes,
                `data size not calibrated: demands as measured on the seed (no calibration runs); ${size(users)}`,
              ],
            }
          : cal,
      ),
    };
  const seeded = input.seeded;
  const seedPerConversation = seeded?.messagesPerConversation ?? profile.messagesPerConversation.mean;
  const refPerConversation = profile.messagesPerConversation.reference;
  const rowsSeed = rowsPerStatement(profile, policy, seedPerConversation);
  const rowsRef = rowsPerStatement(profile, policy, refPerConversation);
  const kinds = Object.keys(cal.demands).filter((k) => k !== 'default');
  // The seed's own reads from the OS page cache are in its demands already (rig-data-size.ts ownPageReadsOf).
  const own = cal.ownPageReads?.perStatement ?? {};
  const pageRead = input.fit
    ? {
        ms: input.fit.missMsPerPage,
        text: `${n(input.fit.missMsPerPage)} ms per page read from the OS page cache, from table-size runs ${input.fitRuns.join(', ')}${input.fit.clamped ? " (their fitted slope was negative, set to 0: the runs' page reads do not explain their database time)" : ''}`,
      }
    : {
        ms: pageReadStatementMs(cal),
        text: `${n(pageReadStatementMs(cal))} ms of statement time per page read from the OS page cache: ${PAGE_READ_CPU_MS.value} ms of database CPU (${PAGE_READ_CPU_MS.source}; ${PAGE_READ_CPU_MS.range.low}-${PAGE_READ_CPU_MS.range.high}) ÷ ${n(cal.cpuShareOfDbTime)} CPU share of statement time`,
      };
  const seedText = seeded
    ? `the seed: ${n(seeded.messages)} messages (${n(seedPerConversation)} a conversation) in ${gb(seeded.bytes)} (${seeded.run}) on ${mb(seeded.memoryBytes)} shared_buffers, hit ratio ${seeded.hitRatio === null ? 'not measured' : seeded.hitRatio.toFixed(4)} (${cal.ownPageReads ? `its own reads subtracted: ${cal.ownPageReads.source}` : 'its own reads none by the working-set model'})`
    : `the seed: not measured (no calibration run recorded its database), taken at the profile's ${n(seedPerConversation)} messages a conversation, all in memory`;
  const constants = `${MS_PER_ROW.value} ms per row (${MS_PER_ROW.source}, ${MS_PER_ROW.range.low}-${MS_PER_ROW.range.high}); ${pageRead.text}; ${n(settings.diskReadMs.value)} ms per page read from the disk (${settings.diskReadMs.source}); ${n(settings.rowsPerPage.value)} rows of a user's sync a heap page (${settings.rowsPerPage.source})`;
  const writes = diskWritesOf(profile, settings);
  return {
    at: memoised((users, memory, text) => {
      const pages = {
        rowsPerPage: settings.rowsPerPage.value,
        messagesPerConversation: refPerConversation,
        looping: 'online' as const,
      };
      const { buffers, disk: fromDisk } = workingSetOf(profile, policy, users, pages).readsOnTiers(
        memory.bytes,
        memory.cacheBytes,
        settings.pageCacheInflow.value,
      );
      const demands = { ...cal.demands };
      const baseLatency = cal.baseLatency ? { ...cal.baseLatency } : undefined;
      const changes: string[] = [];
      const readsPerStatement: Record<string, number> = {};
      for (const kind of kinds) {
        const d = cal.demands[kind]!;
        const rs = rowsSeed[kind] ?? 0;
        const rr = rowsRef[kind] ?? 0;
        const disk = fromDisk.perStatement[kind] ?? 0;
        const cached = Math.max(0, (buffers.perStatement[kind] ?? 0) - disk);
        const seedReads = own[kind] ?? 0;
        const ioMs = disk * settings.diskReadMs.value;
        const meanMs = Math.max(
          0,
          d.meanMs + MS_PER_ROW.value * (rr - rs) + pageRead.ms * (cached - seedReads) + ioMs,
        );
        readsPerStatement[kind] = disk;
        const cachedText = seedReads > 0 ? `(${n(cached)} − ${n(seedReads)} on the seed)` : n(cached);
        const working = text
          ? `${n(d.meanMs)} ms on the seed + ${n(MS_PER_ROW.value)} ms × (${n(rr)} − ${n(rs)}) rows + ${n(pageRead.ms)} ms × ${cachedText} pages from the OS page cache + ${n(settings.diskReadMs.value)} ms × ${n(disk)} pages from the disk = ${n(meanMs)} ms`
          : '';
        demands[kind] = {
          ...d,
          meanMs,
          ...(ioMs > 0 || d.ioMs !== undefined ? { ioMs: (d.ioMs ?? 0) + ioMs } : {}),
          ...(text ? { source: `${d.source}; at the data size of ${n(users)} users: ${working}` } : {}),
        };
        const b = baseLatency?.[kind];
        if (baseLatency && b)
          baseLatency[kind] = {
            ...b,
            medianMs: Math.max(0, b.medianMs + meanMs - d.meanMs),
            p95Ms: Math.max(0, b.p95Ms + meanMs - d.meanMs),
          };
        if (text) changes.push(`${kind} ${working}`);
      }
      const reads = `working set ${gb(fromDisk.workingSetBytes)} (${n(fromDisk.loopingUsers)} syncing users online, each once an interval, and the index pages the statements walk) on ${mb(memory.bytes)} shared_buffers and ${mb(memory.cacheBytes)} of OS page cache (${memory.source}): ${n(buffers.perSync)} pages a sync missed by shared_buffers, ${n(fromDisk.perSync)} of them from the disk (the page cache an LRU on them, with ${n(settings.pageCacheInflow.value)} pages never used again taken in a miss besides: ${settings.pageCacheInflow.source})`;
      const disk = {
        readsPerStatement,
        readsPerSync: fromDisk.perSync,
        writesPerStatement: writes.perStatement,
        source: text ? `${reads}; ${writes.text}` : '',
      };
      if (!text) return { ...cal, demands, ...(baseLatency ? { baseLatency } : {}), disk };
      const note = `data size: ${size(users)}; ${seedText}; ${reads}; ${constants}: ${changes.join('; ')}`;
      return {
        ...cal,
        demands,
        ...(baseLatency ? { baseLatency } : {}),
        disk,
        notes: [...cal.notes, note],
      };
    }),
  };
}

/**
 * The calibration carried to the data size of `users` (default: the profile's own) on `memory`: one
 * use of {@link dataSizeCarry}.
 */
export function calibrationAtDataSize(
  cal: Calibration,
  input: DataSizeInput,
  profile: Profile,
  policy: Policy,
  settings: DataSizeSettings,
  memory: DatabaseMemory,
  users: number = profile.users,
): Calibration {
  return dataSizeCarry(cal, input, profile, policy, settings).at(users, memory);
}
