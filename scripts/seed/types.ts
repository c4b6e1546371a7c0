import type { Profile } from '../../core/profile.ts';

/** Schema variants: plain tables, or messages partitioned by month and usage_logs by week. */
export type SchemaVariant = 'plain' | 'partitioned';

/** How progress is shown: a bar per table (TTY), periodic plain lines, or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'none';

/** What `seedDatabase` takes: the CLI parses its flags into exactly this. */
export interface SeedOptions {
  profile: Profile;
  /** Overrides `profile.users`. */
  users?: number;
  /** Overrides `profile.seed`. */
  seed?: number;
  /** Overrides `profile.asOf`; truncated to the second. */
  asOf?: Date;
  /** Already resolved (see scripts/lib/database.ts); checked again: loopback unless `allowRemote`. */
  databaseUrl: string;
  /** The one non-loopback host that may be seeded. */
  allowRemote?: string;
  schema: SchemaVariant;
  /** Drop what an earlier seed created first; without it a database holding Atlas tables is refused. */
  reset: boolean;
  /** Parallel COPY connections (default 2). The data do not depend on it. */
  workers?: number;
  /** Users export (CSV); default `.data/exports/<profile>-<users>u-s<seed>.users.csv`. */
  exportPath?: string;
  progress?: ProgressMode;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
}

/** Rows and checksum of one seeded table. */
export interface TableSummary {
  rows: number;
  /** 64-bit hex of the sum of hashtextextended(row text): order-independent, computed in SQL. */
  checksum: string;
}

/** Names of the tables the seeder fills, in load order. */
export const SEEDED_TABLES = [
  'profiles',
  'auth.users',
  'conversations',
  'messages',
  'daily_usage',
  'usage_logs',
  'response_cache',
] as const;

/** One of the seeded tables. */
export type SeededTable = (typeof SEEDED_TABLES)[number];

/** What the profile asked for against what the analysis assumes, when the seed is scaled down. */
export interface ScaleNote {
  messagesPerConversation: { seeded: number; reference: number };
  messages: { seeded: number; atReference: number };
  /** seeded / reference (1 = not scaled). */
  factor: number;
  scaled: boolean;
  note: string;
}

/** What `seedDatabase` returns and `--json` prints. */
export interface SeedSummary {
  profile: string;
  users: number;
  seed: number;
  /** ISO instant the dataset is a snapshot of. */
  asOf: string;
  schema: SchemaVariant;
  workers: number;
  /** Masked database URL. */
  database: string;
  tables: Record<SeededTable, TableSummary>;
  totalRows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Seconds per phase: schema, load, indexes, analyze, checksums, export. */
  phases: Record<string, number>;
  scale: ScaleNote;
  exportPath: string;
  /** Whether the stand-in auth schema (fixtures/schema/auth.sql) was created by this seed. */
  authCreated: boolean;
}

/** What atlas_harness.seed_info holds about the dataset in a database. */
export interface SeedInfo {
  profile: string;
  users: number;
  seed: number;
  asOf: string;
  schema: SchemaVariant;
  checksums: Record<string, TableSummary>;
  exportPath: string;
  startedAt: string;
  finishedAt: string;
  summary: SeedSummary;
}
