import pg from 'pg';
import type { ResolvedDatabase } from '../lib/database.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import {
  cutConnections,
  FAULT_AT_SHARE,
  FAULT_LENGTH_SHARE,
  type FaultName,
  lockSyncedTables,
  POOL_BURST_SECONDS,
  SLOW_QUERY,
} from './faults.ts';
import type { TcpProxy } from './tcp-proxy.ts';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Injects `fault` at 40% of the measured window that starts at `originMs` (epoch ms, after the
 * warm-up); lasting faults end at 60%. Details go into `info`.
 */
export async function injectFault(
  fault: FaultName,
  durationSeconds: number,
  originMs: number,
  db: ResolvedDatabase,
  proxy: TcpProxy | undefined,
  info: Record<string, unknown>,
  log: (line: string) => void,
): Promise<void> {
  const at = durationSeconds * FAULT_AT_SHARE;
  info.atSeconds = at;
  if (fault === 'slow-queries') {
    info.slowQuery = SLOW_QUERY;
    info.atSeconds = 0;
    info.lengthSeconds = durationSeconds;
    return; // the target was started with --slow-query-ms: slow reads all run long
  }
  await sleep(originMs + at * 1000 - Date.now());
  if (fault === 'connections-cut') {
    info.terminated = await cutConnections(db.url);
    log(`fault: cut ${info.terminated} database connections`);
  } else if (fault === 'restart-db') {
    const t0 = Date.now();
    await db.release();
    if (await reachable(db.url)) {
      // release() only stops a server this process started; another atlas-cap process owns this one.
      info.restarted = false;
      info.reason = 'the embedded PostgreSQL was started by another process; not restarted';
      log(`fault: ${info.reason}`);
      return;
    }
    const again = await startEmbeddedPostgres(log);
    db.release = again.stop;
    info.restarted = true;
    info.restartSeconds = (Date.now() - t0) / 1000;
    log(`fault: restarted the embedded PostgreSQL in ${info.restartSeconds} s`);
  } else if (fault === 'pool-burst') {
    info.lengthSeconds = POOL_BURST_SECONDS;
    log(`fault: the synced tables locked for ${POOL_BURST_SECONDS} s`);
    await lockSyncedTables(db.url, POOL_BURST_SECONDS);
  } else if (fault === 'redis-down' && proxy) {
    const length = durationSeconds * FAULT_LENGTH_SHARE;
    info.lengthSeconds = length;
    await proxy.cut();
    log(`fault: Redis unreachable for ${length} s`);
    await sleep(length * 1000);
    await proxy.restore();
  }
}
