import pg from 'pg';

/** pg_stat_statements totals of one database: statements executed and their execution time. */
export interface StatementTotals {
  calls: number;
  ms: number;
}

/**
 * pg_stat_statements totals of the current database (calls, ms), or null when the extension is absent.
 * With `create` (the harness's own embedded server, which preloads the library) it creates the extension.
 */
export async function statementTotals(databaseUrl: string, create = false): Promise<StatementTotals | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap statements' });
  try {
    await client.connect();
    if (create) await client.query('create extension if not exists pg_stat_statements').catch(() => {});
    const ext = await client.query(`select 1 from pg_extension where extname = 'pg_stat_statements'`);
    if (ext.rowCount === 0) return null;
    const { rows } = await client.query<{ calls: string | null; ms: number | null }>(
      `select sum(calls)::text as calls, sum(total_exec_time) as ms from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database())
          and query not ilike '%pg_stat%' and query not ilike '%pg_sleep%' and query not ilike 'select 1%'`,
    );
    return { calls: Number(rows[0]?.calls ?? 0), ms: Number(rows[0]?.ms ?? 0) };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}
