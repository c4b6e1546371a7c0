import pg from 'pg';
import type { RunRecord } from '../../core/run-record.ts';

// What the database did besides answering statements, over a run: how many pages its statements found
// in PostgreSQL's shared buffers and how many it had to read (from the OS page cache or disk), how big
// the database is beside shared_buffers, and the checkpoints and autovacuum/autoanalyze passes that
// ran. Read from the statistics views before and after the run (no extension needed); the database's
// counters include every session on it, the harness's own few queries too.

/** Cumulative counters of one database at one moment (pg_stat_database, checkpoints, autovacuum). */
export interface DatabaseCounters {
  blocksHit: number;
  blocksRead: number;
  checkpoints: number;
  autovacuums: number;
  sizeBytes: number;
  sharedBuffersBytes: number;
}

// PostgreSQL 17 moved the checkpoint counters to pg_stat_checkpointer; 15 and 16 keep them in pg_stat_bgwriter.
const CHECKPOINTS_17 = 'select num_timed + num_requested as n from pg_stat_checkpointer';
const CHECKPOINTS_15 = 'select checkpoints_timed + checkpoints_req as n from pg_stat_bgwriter';

/** Reads the current database's counters, or null when the statistics views cannot be read. */
export async function readDatabaseCounters(databaseUrl: string): Promise<DatabaseCounters | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap db activity' });
  try {
    await client.connect();
    const { rows } = await client.query<{
      hit: string;
      read: string;
      size: string;
      buffers: string;
      autovacuums: string | null;
      version: string;
    }>(
      `select d.blks_hit::text as hit, d.blks_read::text as read,
              pg_database_size(current_database())::text as size,
              (select setting::bigint * 8192 from pg_settings where name = 'shared_buffers')::text as buffers,
              (select sum(autovacuum_count + autoanalyze_count) from pg_stat_user_tables)::text as autovacuums,
              current_setting('server_version_num') as version
         from pg_stat_database d where d.datname = current_database()`,
    );
    const r = rows[0];
    if (!r) return null;
    const checkpoints = await client.query<{ n: string }>(
      Number(r.version) >= 170000 ? CHECKPOINTS_17 : CHECKPOINTS_15,
    );
    return {
      blocksHit: Number(r.hit),
      blocksRead: Number(r.read),
      checkpoints: Number(checkpoints.rows[0]?.n ?? 0),
      autovacuums: Number(r.autovacuums ?? 0),
      sizeBytes: Number(r.size),
      sharedBuffersBytes: Number(r.buffers),
    };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The run's database activity from the counters before and after it (pure); null when either is
 * missing or a counter went back (statistics reset, e.g. by a crash of the server mid-run).
 */
export function databaseActivityBetween(
  before: DatabaseCounters | null,
  after: DatabaseCounters | null,
): RunRecord['database'] | null {
  if (!before || !after) return null;
  const hit = after.blocksHit - before.blocksHit;
  const read = after.blocksRead - before.blocksRead;
  const checkpoints = after.checkpoints - before.checkpoints;
  const autovacuums = after.autovacuums - before.autovacuums;
  if (hit < 0 || read < 0 || checkpoints < 0 || autovacuums < 0) return null;
  return {
    blocksHit: hit,
    blocksRead: read,
    hitRatio: hit + read > 0 ? hit / (hit + read) : null,
    checkpoints,
    autovacuums,
    sizeBytes: after.sizeBytes,
    sharedBuffersBytes: after.sharedBuffersBytes,
  };
}
