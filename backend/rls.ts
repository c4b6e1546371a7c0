import type { JwtRole } from './jwt.ts';
import type { SqlParams } from './rest/sql-params.ts';
import type { TableSpec } from './rest/tables.ts';

/** Who a request acts as, from its verified JWT. */
export interface Principal {
  role: JwtRole;
  /** The user's id (auth.uid()); absent for anon and service keys. */
  sub?: string;
}

/**
 * Row-level security as Atlas's Supabase policies state it (storage-architecture-analysis.md, "Row
 * Level Security"): a user reaches only their own rows, messages through their conversations; the
 * service role reaches everything; anon reaches nothing. Returns a SQL boolean over `alias`.
 * The same predicate serves as USING (rows visible and updatable) and WITH CHECK (rows written).
 */
export function rowPolicy(table: TableSpec, principal: Principal, alias: string, params: SqlParams): string {
  if (principal.role === 'service_role') return 'true';
  if (principal.role !== 'authenticated' || principal.sub === undefined) return 'false';
  const uid = `${params.add(principal.sub)}::uuid`;
  switch (table.name) {
    case 'profiles':
      return `${alias}."id" = ${uid}`;
    case 'conversations':
      return `${alias}."user_id" = ${uid}`;
    case 'messages':
      return `exists (select 1 from public."conversations" _rls_c where _rls_c."id" = ${alias}."conversation_id" and _rls_c."user_id" = ${uid})`;
  }
}

/** The column whose value decides ownership of a row: changing it is what WITH CHECK guards. */
export function ownerColumn(table: TableSpec): string {
  switch (table.name) {
    case 'profiles':
      return 'id';
    case 'conversations':
      return 'user_id';
    case 'messages':
      return 'conversation_id';
  }
}

/** True when the principal is anonymous for PostgREST's 401-versus-403 choice. */
export function isAnonymous(principal: Principal): boolean {
  return principal.role === 'anon';
}
