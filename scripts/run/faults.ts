import pg from 'pg';
import { UsageError } from '../../core/usage-error.ts';

/** Faults the runner can inject into a local run. */
export const FAULTS = ['connections-cut', 'restart-db', 'redis-down', 'slow-queries', 'pool-burst'] as const;
/** One fault name. */
export type FaultName = (typeof FAULTS)[number];

/** Checks a --fault value. */
export function parseFault(name: string | undefined): FaultName | undefined {
  if (name === undefined) return undefined;
  if ((FAULTS as readonly string[]).includes(name)) return name as FaultName;
  throw new UsageError('--fault', `unknown fault '${name}' (known: ${FAULTS.join(', ')})`);
}

/**
 * Slow queries of the slow-queries fault: 10% of REST reads sleep 1.5 s first (pg_sleep in the target,
 * behind its --slow-query-ms flag): enough to queue the pool, short of the fixed policy's 5 s timeout.
 */
export const SLOW_QUERY = { ms: 1500, share: 0.1 } as const;

/** When the fault starts, as a share of the run (40%: steady state before, recovery time after). */
export const FAULT_AT_SHARE = 0.4;
/** How long a lasting fault (redis-down) lasts, as a share of the run. */
export const FAULT_LENGTH_SHARE = 0.2;

/**
 * Cuts every connection of the target's database (pg_terminate_backend, as a failover does), except
 * this session's; returns how many backends were terminated.
 */
export async function cutConnections(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap fault' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from (
         select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
            and coalesce(application_name, '') not like 'atlas-cap %') t where ok`,
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * How long the pool-burst fault locks the synced tables, s: long enough that every pooled connection
 * and every waiter fills at any load that reaches the pool (a sync statement arrives every few ms), short
 * enough that the window's rest shows whether the full pool drains or stays full (metastable-load.ts).
 */
export const POOL_BURST_SECONDS = 3;

/**
 * Locks the synced tables (conversations, messages) ACCESS EXCLUSIVE for `seconds` in one transaction
 * of its own: every sync statement waits behind it holding its pooled connection, so the pool and its
 * waiters fill, then all are let go at once.
 */
export async function lockSyncedTables(databaseUrl: string, seconds: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap fault' });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('lock table conversations, messages in access exclusive mode');
    await client.query('select pg_sleep($1)', [seconds]);
    await client.query('commit');
  } finally {
    await client.end();
  }
}
