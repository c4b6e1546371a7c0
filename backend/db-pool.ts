import pg from 'pg';
import type { Policy } from '../core/policy.ts';
import type { TargetMetrics } from './metrics.ts';
import { connectionLost, databaseUnavailable, poolSaturated, poolTimeout } from './rest/postgrest-error.ts';

/** A checked-out connection that records every statement under a query kind. */
export interface DbSession {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    kind: string,
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** The target's PostgreSQL pool: policy-sized, time-bounded acquisition, instrumented statements. */
export interface DbPool {
  /** Runs `fn` on one connection; a connection broken during `fn` is discarded, never reused. */
  withSession<T>(fn: (session: DbSession) => Promise<T>): Promise<T>;
  /** One statement on its own connection. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    kind: string,
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  stats(): { size: number; inUse: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** Idle connections close after 30 s, as pg's default, so a quiet target releases the database. */
const IDLE_TIMEOUT_MS = 30_000;

function isAcquireTimeout(error: Error): boolean {
  return /timeout exceeded when trying to connect/i.test(error.message);
}

/**
 * Creates the pool from `policy.database`: `poolSize` connections, `statementTimeoutMs` as every
 * session's statement_timeout, and `acquireTimeoutMs` as the longest wait for a connection (pg's
 * connectionTimeoutMillis bounds both the queue wait and a new connection's handshake), after
 * which the request fails with 503 PGRST003. Sessions use TimeZone UTC, as Supabase's database does.
 * Admission control: when `maxWaiting` requests already wait for a connection, the next one is
 * refused at once (503 with Retry-After) instead of queueing behind them, so overload sheds load
 * fast and the queue (its memory and its wait) stays bounded.
 */
export function createDbPool(
  databaseUrl: string,
  policy: Policy,
  metrics: TargetMetrics,
  maxWaiting: number = Number.POSITIVE_INFINITY,
): DbPool {
  const { poolSize, acquireTimeoutMs, statementTimeoutMs } = policy.database;
  const config: pg.PoolConfig = {
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: acquireTimeoutMs,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    application_name: 'atlas-target',
    options: '-c TimeZone=UTC',
  };
  if (statementTimeoutMs !== null) config.statement_timeout = statementTimeoutMs;
  const pool = new pg.Pool(config);
  // A backend terminated while idle (pg_terminate_backend, failover) emits here; pg-pool drops the
  // client and the next request opens a fresh one. Without a listener the process would crash.
  pool.on('error', (error) => {
    metrics.dbErrors.inc({ kind: 'idle', code: (error as { code?: string }).code ?? 'connection' });
  });
  pool.on('connect', (client) => {
    client.on('error', () => {}); // errors of checked-out clients surface through their queries
  });

  async function acquire(): Promise<pg.PoolClient> {
    if (pool.waitingCount >= maxWaiting) {
      metrics.dbErrors.inc({ kind: 'acquire', code: 'pool_saturated' });
      throw poolSaturated(maxWaiting);
    }
    const started = performance.now();
    try {
      const client = await pool.connect();
      metrics.dbAcquireWait.observe((performance.now() - started) / 1000);
      return client;
    } catch (error) {
      const err = error as Error & { code?: string };
      if (isAcquireTimeout(err)) {
        metrics.dbErrors.inc({ kind: 'acquire', code: 'pool_timeout' });
        throw poolTimeout(acquireTimeoutMs);
      }
      metrics.dbErrors.inc({ kind: 'acquire', code: err.code ?? 'connect' });
      throw databaseUnavailable(err.message);
    }
  }

  function sessionOf(client: pg.PoolClient, broken: { error?: Error }): DbSession {
    return {
      async query(kind, text, values) {
        const started = performance.now();
        metrics.dbQueries.inc({ kind });
        try {
          return await client.query(text, values);
        } catch (error) {
          const err = error as Error & { code?: string };
          metrics.dbErrors.inc({ kind, code: err.code ?? 'connection' });
          // SQL errors leave the connection usable; anything else (terminated backend, reset) does not.
          if (!err.code || /^(08|57P)/.test(err.code)) broken.error = err;
          // A connection lost without a SQLSTATE is PostgREST's PGRST001 (503), not a server bug.
          if (!err.code) throw connectionLost(err.message);
          throw error;
        } finally {
          metrics.dbQueryDuration.observe({ kind }, (performance.now() - started) / 1000);
        }
      },
    };
  }

  return {
    async withSession(fn) {
      const client = await acquire();
      const broken: { error?: Error } = {};
      try {
        return await fn(sessionOf(client, broken));
      } finally {
        client.release(broken.error ?? false);
      }
    },
    async query(kind, text, values) {
      return this.withSession((s) => s.query(kind, text, values));
    },
    stats() {
      return {
        size: poolSize,
        inUse: pool.totalCount - pool.idleCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
      };
    },
    close() {
      return pool.end();
    },
  };
}
