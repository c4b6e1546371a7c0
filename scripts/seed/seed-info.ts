import pg from 'pg';
import type { SeedInfo, SeedSummary } from './types.ts';

/** Marks the seed_info row `id` done with the seed's checksums, export path and summary. */
export async function finishSeedInfo(client: pg.ClientBase, id: number, summary: SeedSummary): Promise<void> {
  await client.query(
    `update atlas_harness.seed_info
        set status = 'done', checksums = $2, export_path = $3, summary = $4, finished_at = now()
      where id = $1`,
    [id, JSON.stringify(summary.tables), summary.exportPath, JSON.stringify(summary)],
  );
}

/**
 * What the database at `databaseUrl` holds: the last finished seed recorded in atlas_harness.seed_info,
 * or null when it was never seeded or the last seed did not finish.
 */
export async function readSeedInfo(databaseUrl: string): Promise<SeedInfo | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap seed-info' });
  await client.connect();
  try {
    const exists = await client.query(`select to_regclass('atlas_harness.seed_info') is not null as t`);
    if (!exists.rows[0].t) return null;
    const { rows } = await client.query(
      `select status, profile, users, seed::text as seed, as_of, schema_variant, checksums, export_path, summary,
              started_at, finished_at
         from atlas_harness.seed_info order by id desc limit 1`,
    );
    const r = rows[0];
    if (r?.status !== 'done') return null;
    return {
      profile: r.profile,
      users: r.users,
      seed: Number(r.seed),
      asOf: (r.as_of as Date).toISOString(),
      schema: r.schema_variant,
      checksums: r.checksums,
      exportPath: r.export_path,
      startedAt: (r.started_at as Date).toISOString(),
      finishedAt: (r.finished_at as Date).toISOString(),
      summary: r.summary as SeedSummary,
    };
  } finally {
    await client.end();
  }
}

/** What a caller wants a database to hold; fields left out match anything. */
export interface WantedSeed {
  profile?: string;
  users?: number;
  seed?: number;
  schema?: SeedInfo['schema'];
  /** ISO instant; compared to the second. */
  asOf?: string;
}

/** True when `info` (from readSeedInfo) is a finished seed of the wanted dataset. */
export function seedInfoMatches(info: SeedInfo | null, want: WantedSeed): boolean {
  if (!info) return false;
  if (want.profile !== undefined && info.profile !== want.profile) return false;
  if (want.users !== undefined && info.users !== want.users) return false;
  if (want.seed !== undefined && info.seed !== want.seed) return false;
  if (want.schema !== undefined && info.schema !== want.schema) return false;
  if (
    want.asOf !== undefined &&
    Math.floor(Date.parse(want.asOf) / 1000) !== Math.floor(Date.parse(info.asOf) / 1000)
  ) {
    return false;
  }
  return true;
}
