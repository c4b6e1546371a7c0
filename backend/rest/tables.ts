import { ATLAS_COLUMNS } from '../../core/atlas-tables.ts';
import { PostgrestError } from './postgrest-error.ts';

/** A table the REST layer exposes: its columns (the identifier whitelist) and primary key. */
export interface TableSpec {
  name: 'profiles' | 'conversations' | 'messages';
  /** Columns in table order (core/atlas-tables.ts, checked against the schema SQL); only these names ever reach SQL. */
  columns: readonly string[];
  primaryKey: readonly string[];
}

/** The tables of storage-architecture-analysis.md that Atlas's clients read and write over REST. */
export const TABLES: Readonly<Record<TableSpec['name'], TableSpec>> = {
  profiles: {
    name: 'profiles',
    columns: ATLAS_COLUMNS.profiles,
    primaryKey: ['id'],
  },
  conversations: {
    name: 'conversations',
    columns: ATLAS_COLUMNS.conversations,
    primaryKey: ['id'],
  },
  messages: {
    name: 'messages',
    columns: ATLAS_COLUMNS.messages,
    primaryKey: ['id'],
  },
};

/** The exposed table named `name`, or PostgREST's 404 (PGRST205) for anything else. */
export function tableSpec(name: string): TableSpec {
  if (Object.hasOwn(TABLES, name)) return TABLES[name as TableSpec['name']];
  throw new PostgrestError(
    404,
    'PGRST205',
    `Could not find the table 'public.${name}' in the schema cache`,
    null,
    null,
  );
}

/** True when `column` is one of the table's columns. */
export function hasColumn(table: TableSpec, column: string): boolean {
  return table.columns.includes(column);
}

/** A whitelisted identifier, double-quoted for SQL. Callers check the whitelist first. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}
