import type pg from 'pg';
import { runOnClients } from './connection.ts';
import { readSqlStatements } from './sql-file.ts';
import type { SchemaVariant } from './types.ts';

/** Tables biggest first, so the longest index build starts first. */
const BUILD_ORDER = ['messages', 'usage_logs', 'daily_usage', 'conversations', 'profiles', 'response_cache'];

function tableOf(statement: string): string {
  const m = /^alter table\s+(\w+)/i.exec(statement) ?? /\bon\s+(\w+)/i.exec(statement);
  return m ? m[1]! : '';
}

/**
 * Builds keys and indexes of `<variant>.indexes.sql`: statements of one table run in order on one
 * connection, tables in parallel across `clients`; foreign keys last (they need the keys they reference).
 */
export async function buildKeysAndIndexes(clients: pg.Client[], variant: SchemaVariant): Promise<void> {
  const statements = readSqlStatements(`${variant}.indexes.sql`);
  const foreign = statements.filter((s) => /foreign key/i.test(s));
  const byTable = new Map<string, string[]>();
  for (const s of statements.filter((x) => !foreign.includes(x))) {
    const t = tableOf(s);
    byTable.set(t, [...(byTable.get(t) ?? []), s]);
  }
  const rank = (t: string) => (BUILD_ORDER.includes(t) ? BUILD_ORDER.indexOf(t) : BUILD_ORDER.length);
  const groups = [...byTable.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, list]) => list);
  await runOnClients(clients, groups, async (client, list) => {
    for (const s of list) await client.query(s);
  });
  // Foreign keys lock both tables; run them in parallel anyway, PostgreSQL serialises what conflicts.
  await runOnClients(clients, foreign, async (client, s) => {
    await client.query(s);
  });
}

/** Moves the bigserial sequences past the explicit ids the seeder wrote. */
export async function syncSequences(client: pg.ClientBase): Promise<void> {
  for (const table of ['daily_usage', 'usage_logs', 'response_cache']) {
    await client.query(
      `select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`,
    );
  }
}

/** auth.users rows for the seeded profiles (same id, email, created_at), in one statement. */
export async function fillAuthUsers(client: pg.ClientBase): Promise<number> {
  const r = await client.query(
    `insert into auth.users (id, email, role, created_at)
     select id, email, 'authenticated', created_at from profiles`,
  );
  return r.rowCount ?? 0;
}

/** ANALYZE of every seeded table, in parallel across `clients`. */
export async function analyzeTables(clients: pg.Client[]): Promise<void> {
  await runOnClients(clients, [...BUILD_ORDER, 'auth.users'], async (client, t) => {
    await client.query(`analyze ${t}`);
  });
}
