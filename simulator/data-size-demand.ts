import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import { ACTIVITY_CLASSES } from '../core/profile.ts';
import type { RunRecord } from '../core/run-record.ts';
import type { PredictionDetail } from './analytic.ts';
import type { Calibration } from './calibration.ts';
import {
  type DataSizeFit,
  type DataSizePoint,
  fitDataSize,
  missRatio,
  pagesTouched,
  seededMessages,
} from './data-size.ts';
import { ENDPOINTS, MESSAGES_PER_CHANGED_CONVERSATION, workloadAt } from './workload.ts';

// The calibration carried from the seeded dataset its runs measured to the data size of the users a
// prediction is for (issue 12, item 3): N users × conversations × the analysis's reference messages per
// conversation (at 1k, 10k and 100k users the database holds 1k, 10k and 100k users' messages).
// Per statement kind, the demand measured on the seed gains
//   msPerRow × (rows returned at the reference − on the seed)
//   + missMsPerPage × (pages read at the reference − pages read on the seed)
// with pages read = pagesTouched(rows, database bytes) × missRatio(database bytes, memory) (data-size.ts;
// the whole database stands in for the index, so the B-tree depth is an upper bound), the seed on the
// calibration runs' measured shared_buffers and the reference on the deployment's database memory.
// missMsPerPage comes from the table-size fit; without one nothing is carried and the note says so.
// Pure: the run records are read at the edge.

/** A dial of the carry, as assumptions.ts gives its own: value, unit, source and a plausible range. */
export interface DataSizeAssumption {
  value: number;
  unit: string;
  source: string;
  range: { low: number; base: number; high: number };
}

/** Share of a compute size's RAM the database caches pages in (its shared_buffers). */
export const SHARED_BUFFERS_SHARE: DataSizeAssumption = {
  value: 0.25,
  unit: 'share of RAM',
  source:
    "assumption: PostgreSQL's documented starting point for shared_buffers, 25% of RAM (postgresql.org/docs/15/runtime-config-resource.html); Supabase's per-size value not read here; 1 would count the OS page cache too",
  range: { low: 0.125, base: 0.25, high: 1 },
};

/** Database time of one more row returned from memory (executor and output of a ~700-byte message row). */
export const MS_PER_ROW: DataSizeAssumption = {
  value: 0.005,
  unit: 'ms per row',
  source:
    'assumption: a few µs per row found in memory; not measured (table-size runs return the same rows at every size)',
  range: { low: 0.002, base: 0.005, high: 0.02 },
};

/** The seeded dataset the calibration's runs measured: messages, database bytes and shared_buffers. */
export interface SeededDataset {
  messages: number;
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
  bytes: number;
  source: string;
}

/** What a model context holds to give each prediction its own data size: the carry, and the memory it runs on. */
export interface DataSizeContext {
  carry: DataSizeCarry;
  memory: DatabaseMemory;
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
        bytes: record.database.sizeBytes,
        memoryBytes: record.database.sharedBuffersBytes,
        run: name,
      };
  }
  const fit = fitDataSize(plain);
  return { fit, fitRuns: fit ? plain.map((p) => p.run) : [], seeded };
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

/** Pages one statement returning `rows` reads into memory from a database of `bytes` with `memoryBytes` of buffers. */
export function pagesRead(rows: number, bytes: number, memoryBytes: number): number {
  return pagesTouched(rows, bytes) * missRatio(bytes, 0, memoryBytes);
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
 * Prepares the carry of `cal` for `profile` under `policy` (pure): the rows per statement and the
 * seed's page reads do not depend on the number of users, so they are worked out once; `at(users,
 * memory)` then carries every statement kind's demand (and base latency, shifted by the same ms) to
 * users × conversations × the reference messages per conversation, on `memory`. A note says what was
 * carried, or "data size not calibrated" and why when there is no table-size fit or no seeded dataset.
 */
export function dataSizeCarry(
  cal: Calibration,
  input: DataSizeInput,
  profile: Profile,
  policy: Policy,
): DataSizeCarry {
  const perUser = profile.conversationsPerUser.mean * profile.messagesPerConversation.reference;
  const size = (users: number): string =>
    `${n(users)} users of ${profile.name} hold ${n(users * perUser)} messages (${n(users)} × ${n(profile.conversationsPerUser.mean)} conversations × ${n(profile.messagesPerConversation.reference)}, the reference)`;
  const why = !cal.calibrated
    ? 'no calibration runs'
    : input.seeded === null
      ? "no calibration run measured its database's size (run.json database)"
      : input.fit === null
        ? 'no plain table-size runs at two or more sizes to fit the cost of a page read'
        : null;
  const cache = new Map<string, Calibration>();
  const memoised =
    (carry: (users: number, memory: DatabaseMemory, text: boolean) => Calibration) =>
    (users: number, memory: DatabaseMemory, detail: PredictionDetail = 'full'): Calibration => {
      const key = `${users}|${memory.bytes}|${memory.source}|${detail}`;
      const hit = cache.get(key);
      if (hit) return hit;
      if (cache.size >= CARRY_CACHE_ENTRIES) cache.clear();
      const out = carry(users, memory, detail === 'full');
      cache.set(key, out);
      return out;
    };
  if (why !== null || input.seeded === null || input.fit === null)
    return {
      at: memoised((users, _memory, text) =>
        text
          ? {
              ...cal,
              notes: [
                ...cal.notes,
                `data size not calibrated: demands as measured on the seed (${why}); ${size(users)}`,
              ],
            }
          : cal,
      ),
    };
  const seeded = input.seeded;
  const fit = input.fit;
  const rowsSeed = rowsPerStatement(profile, policy, profile.messagesPerConversation.mean);
  const rowsRef = rowsPerStatement(profile, policy, profile.messagesPerConversation.reference);
  const kinds = Object.keys(cal.demands)
    .filter((k) => k !== 'default')
    .map((kind) => {
      const rs = rowsSeed[kind] ?? 0;
      return { kind, rs, rr: rowsRef[kind] ?? 0, readSeed: pagesRead(rs, seeded.bytes, seeded.memoryBytes) };
    });
  const fitText = `${n(fit.missMsPerPage)} ms per page read from table-size runs ${input.fitRuns.join(', ')}${fit.clamped ? " (their fitted slope was negative, set to 0: the runs' page reads do not explain their database time)" : ''}; ${MS_PER_ROW.value} ms per row (${MS_PER_ROW.source}, ${MS_PER_ROW.range.low}-${MS_PER_ROW.range.high})`;
  return {
    at: memoised((users, memory, text) => {
      const refBytes = (seeded.bytes * users * perUser) / seeded.messages;
      const demands = { ...cal.demands };
      const baseLatency = cal.baseLatency ? { ...cal.baseLatency } : undefined;
      const changes: string[] = [];
      for (const { kind, rs, rr, readSeed } of kinds) {
        const d = cal.demands[kind]!;
        const readRef = pagesRead(rr, refBytes, memory.bytes);
        const delta = MS_PER_ROW.value * (rr - rs) + fit.missMsPerPage * (readRef - readSeed);
        const meanMs = Math.max(0, d.meanMs + delta);
        const working = text
          ? `${n(d.meanMs)} ms on the seed + ${n(MS_PER_ROW.value)} ms × (${n(rr)} − ${n(rs)}) rows + ${n(fit.missMsPerPage)} ms × (${n(readRef)} − ${n(readSeed)}) pages read = ${n(meanMs)} ms`
          : '';
        demands[kind] = {
          ...d,
          meanMs,
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
      if (!text) return { ...cal, demands, ...(baseLatency ? { baseLatency } : {}) };
      const note =
        `data size: ${size(users)}, ${gb(refBytes)} scaled from ${n(seeded.messages)} seeded in ${gb(seeded.bytes)} (${seeded.run}); ` +
        `seed on ${mb(seeded.memoryBytes)} shared_buffers (measured), reference on ${mb(memory.bytes)} (${memory.source}); ` +
        `${fitText}: ${changes.join('; ')}`;
      return {
        ...cal,
        demands,
        ...(baseLatency ? { baseLatency } : {}),
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
  memory: DatabaseMemory,
  users: number = profile.users,
): Calibration {
  return dataSizeCarry(cal, input, profile, policy).at(users, memory);
}
