import type pg from 'pg';
import { runOnClients } from './connection.ts';
import type { SeededTable, TableSummary } from './types.ts';

/**
 * The checksum query of a table: count and sum of hashtextextended over each row's text. Order-free
 * (so worker count and partitioning cannot change it) and one sequential scan (seconds on millions of
 * rows). auth.users hashes only the seeded columns of seeded rows: on Supabase it has many more.
 */
export function checksumSql(table: SeededTable): string {
  if (table === 'auth.users') {
    return `select count(*)::bigint as rows, coalesce(sum(hashtextextended(concat_ws('|', a.id, a.email, a.role, a.created_at), 0)), 0)::text as sum
            from auth.users a where exists (select 1 from profiles p where p.id = a.id)`;
  }
  return `select count(*)::bigint as rows, coalesce(sum(hashtextextended(t::text, 0)), 0)::text as sum from ${table} t`;
}

/** The sum folded to 64 bits, as 16 hex digits. */
export function foldChecksum(sum: string): string {
  return BigInt.asUintN(64, BigInt(sum)).toString(16).padStart(16, '0');
}

/** Rows and checksum of every table in `tables`, computed in parallel across `clients` (UTC sessions). */
export async function computeChecksums(
  clients: pg.Client[],
  tables: readonly SeededTable[],
): Promise<Record<SeededTable, TableSummary>> {
  const out = {} as Record<SeededTable, TableSummary>;
  const ordered = [...tables].sort((a, b) => (a === 'messages' ? -1 : b === 'messages' ? 1 : 0));
  await runOnClients(clients, ordered, async (client, table) => {
    const { rows } = await client.query<{ rows: string; sum: string }>(checksumSql(table));
    out[table] = { rows: Number(rows[0]!.rows), checksum: foldChecksum(rows[0]!.sum) };
  });
  return Object.fromEntries(tables.map((t) => [t, out[t]])) as Record<SeededTable, TableSummary>;
}
