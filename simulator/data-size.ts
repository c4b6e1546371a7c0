import { linearRegression } from 'simple-statistics';
import type { RunRecord } from '../core/run-record.ts';
import { ENDPOINTS } from './workload.ts';

// Service demand as a function of data size (issue 12, item 3), measured: a sync's database time is a
// part that does not depend on how big the tables are (parse, plan, the rows it returns, found in
// memory) plus a cost per page it must read into shared buffers:
//   dbTimeMsPerSync = baseMs + missMsPerPage × reads per sync
// fitted from table-size run records at two or more data sizes, where the database counted its own
// buffer reads (run.json `database`): the fit needs no assumption about access patterns. Which pages a
// prediction reads at another size is the working set's (page-reads.ts), not this file's.

/** PostgreSQL's page size, bytes. */
export const PAGE_BYTES = 8192;
/** The fitted data-size model: demand per sync when nothing misses, and the cost of one page read. */
export interface DataSizeFit {
  baseMs: number;
  missMsPerPage: number;
  /** Run records the fit rests on. */
  points: number;
  /** True when the fitted slope was negative (more reads, less time) and missMsPerPage was set to 0. */
  clamped?: boolean;
}

/** One table-size run reduced to what the fit needs: its data size, database time and page reads per sync. */
export interface DataSizePoint {
  run: string;
  schema: 'plain' | 'partitioned';
  /** Messages in the seeded dataset (the run's users × conversations × messages per conversation, means). */
  messages: number;
  dbTimeMsPerSync: number;
  /** Pages the database read into shared buffers per sync (run.json database.blocksRead / syncs). */
  readsPerSync: number;
  /** Pages touched per sync, in memory or not ((blocksHit + blocksRead) / syncs). */
  touchesPerSync: number;
  sizeBytes: number;
  sharedBuffersBytes: number;
  /** p95 of the messages query as the client saw it (run.json endpoints `rest.messages`), ms; null: none sent. */
  messagesP95Ms: number | null;
  /** Mean database time of one messages statement (run.json queryKinds `select.messages`), ms; null: not counted. */
  messageReadMs: number | null;
}

type Shape = {
  users?: unknown;
  conversationsPerUser?: { mean?: unknown };
  messagesPerConversation?: { mean?: unknown; reference?: unknown };
};

/** Messages of a profile (as a run record resolves it): users × conversations × messages per conversation, `mean` or `reference`. */
export function profileMessages(
  profile: RunRecord['profile'],
  which: 'mean' | 'reference' = 'mean',
): number | null {
  const p = profile as Shape;
  const users = p.users;
  const conversations = p.conversationsPerUser?.mean;
  const perConversation = p.messagesPerConversation?.[which];
  if (typeof users !== 'number' || typeof conversations !== 'number' || typeof perConversation !== 'number')
    return null;
  return users * conversations * perConversation;
}

/**
 * Messages a run seeded: its users (`--users`, what the runner seeds; the record's profile keeps the
 * profile file's own count) × conversations × messages per conversation (means).
 */
export function seededMessages(record: RunRecord): number | null {
  const perUser = profileMessages({ ...record.profile, users: 1 } as RunRecord['profile']);
  return perUser === null ? null : record.users * perUser;
}

/** The statement kind (run.json queryKinds) that reads messages. */
export const MESSAGE_READ_KIND = 'select.messages';

/** The data-size point of a table-size run record, or why it has none. */
export function dataSizePoint(record: RunRecord, run: string): DataSizePoint | string {
  if (record.scenario !== 'table-size') return `${run}: scenario ${record.scenario}, not table-size`;
  const messages = seededMessages(record);
  if (messages === null) return `${run}: its profile gives no message count`;
  const dbTime = record.sync?.dbTimeMsPerSync ?? null;
  if (dbTime === null) return `${run}: no database time per sync measured`;
  if (!record.database) return `${run}: no database activity measured (buffer reads)`;
  const syncs = record.iterations.completed;
  if (syncs <= 0) return `${run}: no sync completed`;
  // The claim is about reading messages: a run that read none (its delta windows held nothing new,
  // as table-size runs did before they read a conversation's page) says nothing about it.
  // (A record without statement counts, queryKinds empty, cannot tell and is kept.)
  const kinds = record.queryKinds ?? {};
  if (Object.keys(kinds).length > 0 && !((kinds[MESSAGE_READ_KIND]?.calls ?? 0) > 0))
    return `${run}: read no messages (no ${MESSAGE_READ_KIND} statement among its ${Object.keys(kinds).join(', ')})`;
  return {
    run,
    schema: record.target.schema ?? 'plain',
    messages,
    dbTimeMsPerSync: dbTime,
    readsPerSync: record.database.blocksRead / syncs,
    touchesPerSync: (record.database.blocksHit + record.database.blocksRead) / syncs,
    sizeBytes: record.database.sizeBytes,
    sharedBuffersBytes: record.database.sharedBuffersBytes,
    messagesP95Ms: record.endpoints[ENDPOINTS.messages]?.p95 ?? null,
    messageReadMs: kinds[MESSAGE_READ_KIND]?.meanMs ?? null,
  };
}

/**
 * Fits baseMs and missMsPerPage by least squares of database time per sync on page reads per sync.
 * Needs two or more points with different reads (else null); a negative slope is set to 0 and marked
 * `clamped`.
 */
export function fitDataSize(points: DataSizePoint[]): DataSizeFit | null {
  if (points.length === 0) return null;
  const reads = new Set(points.map((p) => p.readsPerSync));
  if (points.length < 2 || reads.size < 2) return null;
  const { m, b } = linearRegression(points.map((p) => [p.readsPerSync, p.dbTimeMsPerSync]));
  return {
    baseMs: b,
    missMsPerPage: Math.max(0, m),
    points: points.length,
    ...(m < 0 ? { clamped: true } : {}),
  };
}

/** The data-size points of the table-size records among `runs` (named by folder); other records are skipped. */
export function dataSizePoints(runs: { name: string; record: RunRecord }[]): DataSizePoint[] {
  const points: DataSizePoint[] = [];
  for (const { name, record } of runs) {
    const p = dataSizePoint(record, name);
    if (typeof p !== 'string') points.push(p);
  }
  return points;
}
