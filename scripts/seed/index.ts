// Public API of the seeder, used by the CLI (`atlas-cap seed`), the runner and the review.
export { resolveAsOf } from './as-of.ts';
export { DEFAULT_WORKERS, seedDatabase } from './seed-database.ts';
export { readSeedInfo, seedInfoMatches, type WantedSeed } from './seed-info.ts';
export { formatSeedSummary } from './summary-text.ts';
export type {
  ProgressMode,
  ScaleNote,
  SchemaVariant,
  SeededTable,
  SeedInfo,
  SeedOptions,
  SeedSummary,
  TableSummary,
} from './types.ts';
export { SEEDED_TABLES } from './types.ts';
export { defaultExportPath, USERS_EXPORT_HEADER } from './users-export.ts';
