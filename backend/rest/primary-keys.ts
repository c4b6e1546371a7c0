import type { DbPool } from '../db-pool.ts';
import type { TableSpec } from './tables.ts';

/** Finds a table's primary key in the catalog, once, for upserts without `on_conflict` (PostgREST's default). */
export type PrimaryKeyLookup = (table: TableSpec) => Promise<string[]>;

/**
 * Reads primary keys from pg_index, because they differ by schema variant (the partitioned
 * messages table's key is (id, created_at)); falls back to the static key when the lookup fails
 * or finds none. Only whitelisted columns are returned.
 */
export function createPrimaryKeyLookup(db: DbPool): PrimaryKeyLookup {
  const known = new Map<string, string[]>();
  return async (table) => {
    const cached = known.get(table.name);
    if (cached) return cached;
    let columns: string[] = [];
    try {
      const { rows } = await db.query<{ column: string }>(
        'catalog.primary_key',
        `select a.attname as column from pg_catalog.pg_index i
           join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = to_regclass($1) and i.indisprimary
          order by array_position(i.indkey, a.attnum)`,
        [`public.${table.name}`],
      );
      columns = rows.map((r) => r.column).filter((c) => table.columns.includes(c));
    } catch {
      return [...table.primaryKey];
    }
    const key = columns.length > 0 ? columns : [...table.primaryKey];
    known.set(table.name, key);
    return key;
  };
}
