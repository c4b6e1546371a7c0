import type pg from 'pg';
import { partitionDdl } from './partitions.ts';
import { readSqlStatements } from './sql-file.ts';
import type { SchemaVariant } from './types.ts';

/** The Atlas tables the seeder creates (in the current schema, `public` by default). */
export const ATLAS_TABLES = [
  'profiles',
  'conversations',
  'messages',
  'daily_usage',
  'usage_logs',
  'response_cache',
] as const;

/** What of the seeder's objects a database already holds. */
export interface SchemaState {
  atlasTables: string[];
  harness: boolean;
  authUsers: boolean;
}

/** Looks for Atlas tables, the atlas_harness schema and an auth.users table. */
export async function inspectSchema(client: pg.ClientBase): Promise<SchemaState> {
  const { rows } = await client.query<{ name: string }>(
    `select t as name from unnest($1::text[]) as t where to_regclass(t) is not null`,
    [ATLAS_TABLES],
  );
  const other = await client.query<{ harness: boolean; auth: boolean }>(
    `select exists (select 1 from pg_namespace where nspname = 'atlas_harness') as harness,
            to_regclass('auth.users') is not null as auth`,
  );
  return {
    atlasTables: rows.map((r) => r.name),
    harness: other.rows[0]!.harness,
    authUsers: other.rows[0]!.auth,
  };
}

/** True when nothing of the seeder's is present. */
export function isEmptyState(state: SchemaState): boolean {
  return state.atlasTables.length === 0 && !state.harness;
}

/**
 * Drops exactly what the seeder creates: the Atlas tables, atlas_harness, and the stand-in auth schema
 * only when a seed recorded that it created it; on a real auth.users (Supabase) it deletes only the
 * rows whose ids are seeded profiles. Works on an interrupted seed too (everything is `if exists`).
 */
export async function resetSchema(client: pg.ClientBase): Promise<void> {
  const state = await inspectSchema(client);
  let authCreated = false;
  let authSchemaCreated = false;
  if (state.harness && (await client.query(`select to_regclass('atlas_harness.seed_info') as t`)).rows[0].t) {
    const r = await client.query(
      `select coalesce(bool_or(auth_created), false) as table, coalesce(bool_or(auth_schema_created), false) as schema
       from atlas_harness.seed_info`,
    );
    authCreated = r.rows[0].table;
    authSchemaCreated = r.rows[0].schema;
  }
  await client.query('begin');
  try {
    if (authSchemaCreated) await client.query('drop schema if exists auth cascade');
    else if (authCreated) await client.query('drop table if exists auth.users cascade');
    else if (state.authUsers && state.atlasTables.includes('profiles')) {
      await client.query('delete from auth.users where id in (select id from profiles)');
    }
    await client.query(`drop table if exists ${ATLAS_TABLES.join(', ')} cascade`);
    await client.query('drop schema if exists atlas_harness cascade');
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** What applySchema did, for seed_info and --reset. */
export interface AppliedSchema {
  authCreated: boolean;
  seedInfoId: number;
}

/** Row recorded in atlas_harness.seed_info when the load starts. */
export interface SeedStart {
  profile: string;
  users: number;
  seed: number;
  asOf: Date;
  schema: SchemaVariant;
}

/**
 * In one transaction: atlas_harness with a 'loading' seed_info row, the stand-in auth schema when the
 * database has no auth.users, and the Atlas tables (partitions included) without keys or indexes.
 */
export async function applySchema(
  client: pg.ClientBase,
  variant: SchemaVariant,
  start: SeedStart,
  historyDays: number,
): Promise<AppliedSchema> {
  const found = await client.query(
    `select to_regclass('auth.users') is not null as users,
            exists (select 1 from pg_namespace where nspname = 'auth') as schema`,
  );
  const hasAuth = found.rows[0].users as boolean;
  const hasAuthSchema = found.rows[0].schema as boolean;
  await client.query('begin');
  try {
    for (const s of readSqlStatements('harness.sql')) await client.query(s);
    if (!hasAuth) for (const s of readSqlStatements('auth.sql')) await client.query(s);
    const { rows } = await client.query(
      `insert into atlas_harness.seed_info
         (status, profile, users, seed, as_of, schema_variant, auth_created, auth_schema_created)
       values ('loading', $1, $2, $3, $4, $5, $6, $7) returning id`,
      [start.profile, start.users, start.seed, start.asOf, start.schema, !hasAuth, !hasAuthSchema],
    );
    for (const s of readSqlStatements(`${variant}.sql`)) await client.query(s);
    for (const s of readSqlStatements('grants.sql')) await client.query(s);
    if (variant === 'partitioned') {
      for (const s of partitionDdl(start.asOf.getTime(), historyDays)) await client.query(s);
    }
    await client.query('commit');
    return { authCreated: !hasAuth, seedInfoId: rows[0].id };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
