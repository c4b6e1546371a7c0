import { isAnonymous, type Principal } from '../rls.ts';
import { PostgrestError } from './postgrest-error.ts';
import type { TableSpec } from './tables.ts';

/** A write privilege PostgreSQL checks per column. */
export type WritePrivilege = 'insert' | 'update';

/**
 * Columns the API roles (anon, authenticated) may write, per table and privilege: the grants of
 * fixtures/schema/grants.sql. `null` means every column. Billing columns of profiles
 * (subscription_tier, subscription_status, usage_stats) are service_role's alone: a user who could
 * write them would raise their own tier and limits (issue 14).
 */
export const API_ROLE_WRITABLE: Readonly<
  Record<TableSpec['name'], Readonly<Record<WritePrivilege, readonly string[] | null>>>
> = {
  profiles: {
    insert: ['id', 'email', 'created_at', 'updated_at'],
    update: ['email', 'updated_at'],
  },
  conversations: { insert: null, update: null },
  messages: { insert: null, update: null },
};

/** 42501 as PostgreSQL raises it for a missing privilege; PostgREST answers 401 to anon, 403 otherwise. */
export function permissionDenied(table: string, anonymous: boolean): PostgrestError {
  return new PostgrestError(anonymous ? 401 : 403, '42501', `permission denied for table ${table}`);
}

/**
 * Checks column privileges before a write, as PostgreSQL does before row-level security: throws
 * 42501 when the principal (not service_role) writes a column the API roles may not.
 */
export function checkColumnPrivileges(
  table: TableSpec,
  principal: Principal,
  privilege: WritePrivilege,
  columns: readonly string[],
): void {
  if (principal.role === 'service_role') return;
  const allowed = API_ROLE_WRITABLE[table.name][privilege];
  if (allowed === null) return;
  if (columns.some((c) => !allowed.includes(c))) throw permissionDenied(table.name, isAnonymous(principal));
}
