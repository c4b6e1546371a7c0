import pg from 'pg';
import { loadProfile } from '../../core/profile.ts';
import { seedDatabase } from '../seed/index.ts';

// The benches' scratch database on the machine's PostgreSQL: created for one bench and dropped after
// it, seeded once per level and vacuumed, checkpointed before each replicate (bench:knee,
// bench:calibration, bench:repeatability).

/** Runs `f` with a client connected to `url`, closed after it. */
export async function withAdmin<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** A scratch database `<prefix>_<pid>` beside `adminUrl`'s, for one bench; dropped by `done`. */
export async function scratchDatabase(
  adminUrl: string,
  prefix: string,
): Promise<{ url: string; done: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    done: async () => {
      await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Seeds `databaseUrl` with `profile` for `users` (reset first, plain schema) and vacuums it: once per level. */
export async function seedLevel(databaseUrl: string, profile: string, users: number): Promise<void> {
  await seedDatabase({
    profile: loadProfile(profile),
    users,
    databaseUrl,
    schema: 'plain',
    reset: true,
    progress: 'none',
    log: (line) => process.stderr.write(`  [${users}u] ${line}\n`),
  });
  await withAdmin(databaseUrl, (c) => c.query('vacuum (analyze)'));
}
