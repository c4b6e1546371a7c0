import type pg from 'pg';
import type { SeedContext } from './context.ts';
import { CopyWriter } from './copy-writer.ts';
import type { Progress } from './progress.ts';
import type { PerUserTable } from './row-writer.ts';
import { conversationsTable } from './tables/conversations.ts';
import { dailyUsageTable } from './tables/daily-usage.ts';
import { messagesTable } from './tables/messages.ts';
import { profilesTable } from './tables/profiles.ts';
import { RESPONSE_CACHE_COLUMNS, writeResponseCache } from './tables/response-cache.ts';
import { usageLogsTable } from './tables/usage-logs.ts';
import { planUser } from './user-plan.ts';
import type { UserRange } from './work-ranges.ts';

/** The per-user tables in load order. */
export const PER_USER_TABLES: readonly PerUserTable[] = [
  profilesTable,
  conversationsTable,
  messagesTable,
  dailyUsageTable,
  usageLogsTable,
];

/** Rows of response_cache written per flush check. */
const CACHE_BATCH = 512;

/** Set by the first failing worker so the others stop early. */
export interface AbortFlag {
  error?: unknown;
}

function copySql(table: string, columns: readonly string[]): string {
  return `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`;
}

/**
 * Loads every per-user table for the users in `range` over one connection: one COPY per table, the
 * user plan recomputed per table (cheap) rather than kept (memory stays flat). `withCache` also loads
 * response_cache (one worker does it).
 */
export async function loadRange(
  client: pg.Client,
  ctx: SeedContext,
  range: UserRange,
  progress: Progress,
  abort: AbortFlag,
  withCache: boolean,
): Promise<void> {
  for (const table of PER_USER_TABLES) {
    const writer = new CopyWriter(client, copySql(table.table, table.columns));
    const write = table.writer(ctx);
    try {
      let pending = 0;
      for (let u = range.from; u < range.to; u++) {
        pending += write(planUser(ctx, u), writer.push);
        if (writer.full) {
          if (abort.error !== undefined) throw new Error('stopped: another worker failed');
          progress.add(table.table, pending);
          pending = 0;
          await writer.flush();
        }
      }
      progress.add(table.table, pending);
      await writer.end();
    } catch (error) {
      writer.abort(error as Error);
      throw error;
    }
  }
  if (withCache) {
    const writer = new CopyWriter(client, copySql('response_cache', RESPONSE_CACHE_COLUMNS));
    const total = ctx.profile.responseCache.rows;
    try {
      for (let k = 0; k < total; k += CACHE_BATCH) {
        progress.add(
          'response_cache',
          writeResponseCache(ctx, k, Math.min(total, k + CACHE_BATCH), writer.push),
        );
        if (writer.full) await writer.flush();
      }
      await writer.end();
    } catch (error) {
      writer.abort(error as Error);
      throw error;
    }
  }
}

/** Expected rows per table (for progress), from one planning pass over the users. */
export function expectedRows(ctx: SeedContext): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const t of PER_USER_TABLES) totals[t.table] = 0;
  for (let u = 0; u < ctx.users; u++) {
    const plan = planUser(ctx, u);
    for (const t of PER_USER_TABLES) totals[t.table]! += t.rowsFor(ctx, plan);
  }
  totals['response_cache'] = ctx.profile.responseCache.rows;
  return totals;
}
