import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type pg from 'pg';
import { remoteRefusal } from '../../core/loopback.ts';
import { maskUrl } from '../../core/redact.ts';
import { UsageError } from '../../core/usage-error.ts';
import { resolveAsOf } from './as-of.ts';
import { computeChecksums } from './checksums.ts';
import { openClient } from './connection.ts';
import { createSeedContext } from './context.ts';
import { analyzeTables, buildKeysAndIndexes, fillAuthUsers, syncSequences } from './post-load.ts';
import { createProgress } from './progress.ts';
import { scaleNote } from './scale-note.ts';
import { applySchema, inspectSchema, isEmptyState, resetSchema } from './schema.ts';
import { finishSeedInfo } from './seed-info.ts';
import { type AbortFlag, expectedRows, loadRange } from './table-load.ts';
import { SEEDED_TABLES, type SeedOptions, type SeedSummary } from './types.ts';
import { defaultExportPath, writeUsersExport } from './users-export.ts';
import { splitUsers } from './work-ranges.ts';

/**
 * Parallel COPY connections when the caller does not say: one per core, 2 to 4. Measured with
 * `npm run bench:seed` on the shared 2-core box: 1 worker 1.37x raw COPY, 2 workers 1.27x, 4 workers
 * 1.11x (docs/seeding.md); more connections than cores only add contention on an idle machine.
 */
export const DEFAULT_WORKERS = Math.max(2, Math.min(4, availableParallelism()));
/** Connections for index builds, ANALYZE and checksums: these parallelise well (one table each). */
const POST_LOAD_CONNECTIONS = Math.max(2, Math.min(4, availableParallelism()));
/** More connections than this only add contention. */
export const MAX_WORKERS = 32;

function positiveInt(value: number, where: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new UsageError(where, `must be a positive integer, got ${value}`);
  return value;
}

/** Everything `seedDatabase` checks before touching the database. */
function validate(options: SeedOptions) {
  const users = positiveInt(options.users ?? options.profile.users, '--users');
  const seed = options.seed ?? options.profile.seed;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError('--seed', `must be an integer >= 0, got ${seed}`);
  const workers = positiveInt(options.workers ?? DEFAULT_WORKERS, '--workers');
  if (workers > MAX_WORKERS)
    throw new UsageError('--workers', `must be at most ${MAX_WORKERS}, got ${workers}`);
  if (options.schema !== 'plain' && options.schema !== 'partitioned') {
    throw new UsageError('--schema', `must be plain or partitioned, got ${options.schema}`);
  }
  if (options.asOf && Number.isNaN(options.asOf.getTime()))
    throw new UsageError('--as-of', 'is not a valid time');
  const asOf = options.asOf
    ? resolveAsOf(options.asOf.toISOString(), '--as-of')
    : resolveAsOf(options.profile.asOf, 'asOf');
  let refusal: string | undefined;
  try {
    refusal = remoteRefusal(options.databaseUrl, options.allowRemote);
  } catch {
    throw new UsageError('--database-url', `is not a valid URL: ${maskUrl(options.databaseUrl)}`);
  }
  if (refusal) throw new UsageError('--database-url', refusal);
  const exportPath = resolve(options.exportPath ?? defaultExportPath(options.profile.name, users, seed));
  return { users, seed, workers, asOf, exportPath };
}

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 10) / 100;
}

/**
 * Seeds the Atlas dataset of `options.profile` into `options.databaseUrl`: schema without keys, K
 * parallel COPY streams over block-aligned user ranges, auth.users, keys/indexes/FKs, ANALYZE, SQL
 * checksums, the users export, and a finished atlas_harness.seed_info row. Same profile, seed and
 * asOf give the same table contents whatever `workers` is.
 */
export async function seedDatabase(options: SeedOptions): Promise<SeedSummary> {
  const { users, seed, workers, asOf, exportPath } = validate(options);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const display = maskUrl(options.databaseUrl);
  const started = performance.now();
  const phases: Record<string, number> = {};

  let admin: pg.Client;
  try {
    admin = await openClient(options.databaseUrl);
  } catch (error) {
    throw new UsageError('--database-url', `cannot reach database ${display}: ${(error as Error).message}`);
  }
  const clients: pg.Client[] = [admin];
  const progress = createProgress(options.progress ?? 'none', log);
  try {
    let t = performance.now();
    const state = await inspectSchema(admin);
    if (!isEmptyState(state) && !options.reset) {
      const what = [...state.atlasTables, ...(state.harness ? ['atlas_harness'] : [])].join(', ');
      throw new UsageError(
        '--reset',
        `database ${display} already holds ${what}; pass --reset to drop and reseed it`,
      );
    }
    if (options.reset) await resetSchema(admin);
    const profile = options.profile;
    const applied = await applySchema(
      admin,
      options.schema,
      { profile: profile.name, users, seed, asOf, schema: options.schema },
      profile.historyDays,
    );
    phases['schema'] = seconds(t);

    t = performance.now();
    const ctx = createSeedContext(profile, users, seed, asOf);
    const totals = expectedRows(ctx);
    phases['plan'] = seconds(t);

    t = performance.now();
    const ranges = splitUsers(users, workers);
    const connections = Math.max(ranges.length, POST_LOAD_CONNECTIONS);
    while (clients.length < connections) clients.push(await openClient(options.databaseUrl));
    progress.start(totals);
    const abort: AbortFlag = {};
    await Promise.all(
      ranges.map((range, w) =>
        loadRange(clients[w]!, ctx, range, progress, abort, w === 0).catch((error) => {
          abort.error ??= error;
          throw error;
        }),
      ),
    ).catch(() => {
      throw abort.error;
    });
    progress.stop();
    const authRows = await fillAuthUsers(admin);
    phases['load'] = seconds(t);

    t = performance.now();
    progress.note('building keys, indexes and foreign keys');
    await buildKeysAndIndexes(clients, options.schema);
    await syncSequences(admin);
    phases['indexes'] = seconds(t);
    t = performance.now();
    await analyzeTables(clients);
    phases['analyze'] = seconds(t);

    t = performance.now();
    progress.note('computing checksums');
    const tables = await computeChecksums(clients, SEEDED_TABLES);
    if (tables['auth.users'].rows !== authRows) throw new Error('auth.users rows do not match profiles');
    phases['checksums'] = seconds(t);

    t = performance.now();
    await writeUsersExport(ctx, exportPath);
    phases['export'] = seconds(t);

    const totalRows = Object.values(tables).reduce((s, x) => s + x.rows, 0);
    const elapsed = seconds(started);
    const summary: SeedSummary = {
      profile: profile.name,
      users,
      seed,
      asOf: asOf.toISOString(),
      schema: options.schema,
      workers,
      database: display,
      tables,
      totalRows,
      seconds: elapsed,
      rowsPerSecond: Math.round(totalRows / Math.max(elapsed, 0.001)),
      phases,
      scale: scaleNote(profile, tables.conversations.rows, tables.messages.rows),
      exportPath,
      authCreated: applied.authCreated,
    };
    await finishSeedInfo(admin, applied.seedInfoId, summary);
    return summary;
  } finally {
    progress.stop(); // restores the cursor when a bar was drawn and the seed failed
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}
