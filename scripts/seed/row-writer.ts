import type { SeedContext } from './context.ts';
import type { UserPlan } from './user-plan.ts';

/** Receives one COPY text line (ending in a newline). */
export type PushLine = (line: string) => void;

/** Writes one user's rows of one table; returns how many rows it pushed. */
export type UserRowWriter = (plan: UserPlan, push: PushLine) => number;

/** A table filled per user: its COPY statement and a factory of per-worker row writers. */
export interface PerUserTable {
  table: 'profiles' | 'conversations' | 'messages' | 'daily_usage' | 'usage_logs';
  columns: readonly string[];
  /** A fresh writer per worker: writers may keep state (a faker instance) between users. */
  writer(ctx: SeedContext): UserRowWriter;
  /** Exact row count for a user, known from the plan (for progress totals). */
  rowsFor(ctx: SeedContext, plan: UserPlan): number;
}

/** Users per faker block: faker is reseeded at each block start, and work ranges are block-aligned. */
export const BLOCK_USERS = 256;

/** ISO text of an epoch-millisecond instant (PostgreSQL reads it as timestamptz). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
