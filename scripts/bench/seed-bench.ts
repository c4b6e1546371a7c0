// `npm run bench:seed`: seeds 1M+ messages, then in the same run times the reference: the same rows
// dumped with COPY TO, loaded with a raw COPY FROM into identical empty tables (schema `raw`), plus the
// same key/index/FK builds. Seeder and reference alternate for BENCH_ROUNDS rounds (the machine is
// shared, so single timings are noisy) and the best of each is compared. Prints both times, their
// ratio and the seeder's peak RSS. Goal (issue 2): seeder <= 1.3 x raw COPY + indexes, RSS <= 256 MB.
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { loadProfile } from '../../core/profile.ts';
import { maskUrl } from '../../core/redact.ts';
import { openClient } from '../seed/connection.ts';
import { DEFAULT_WORKERS, type SeedSummary, seedDatabase } from '../seed/index.ts';
import { buildKeysAndIndexes } from '../seed/post-load.ts';
import { readSqlStatements } from '../seed/sql-file.ts';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** 2,500 launch-10k users x ~50 conversations x 8 messages = ~1.0M messages. */
const USERS = Number(process.env.BENCH_USERS ?? 2500);
const WORKERS = Number(process.env.BENCH_WORKERS ?? DEFAULT_WORKERS);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TABLES = ['profiles', 'conversations', 'messages', 'daily_usage', 'usage_logs', 'response_cache'];
const DUMP_DIR = join(import.meta.dirname, '..', '..', '.data', 'bench-seed');

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** The seeder's time comparable with the reference: planning, loading, keys and indexes. */
function comparable(s: SeedSummary): number {
  return s.phases['plan']! + s.phases['load']! + s.phases['indexes']!;
}

async function dump(dbUrl: string): Promise<void> {
  mkdirSync(DUMP_DIR, { recursive: true });
  const client = await openClient(dbUrl);
  try {
    for (const t of TABLES) {
      await pipeline(
        client.query(copyTo(`copy ${t} to stdout`)),
        createWriteStream(join(DUMP_DIR, `${t}.copy`)),
      );
    }
    await pipeline(
      client.query(copyTo('copy (select id, email, role, created_at from auth.users) to stdout')),
      createWriteStream(join(DUMP_DIR, 'auth_users.copy')),
    );
  } finally {
    await client.end();
  }
}

/** Raw COPY FROM of the dumped files into fresh `raw` tables, then the same index builds. */
async function reference(dbUrl: string, connections: number): Promise<{ copy: number; indexes: number }> {
  const clients = [await openClient(dbUrl)];
  while (clients.length < connections) clients.push(await openClient(dbUrl));
  const [client] = clients as [pg.Client];
  try {
    await client.query('drop schema if exists raw cascade; create schema raw');
    for (const c of clients) await c.query('set search_path = raw');
    for (const s of readSqlStatements('plain.sql')) await client.query(s);
    await client.query(
      'create table raw.auth_users (id uuid, email text, role text, created_at timestamptz)',
    );
    let t = performance.now();
    for (const table of TABLES) {
      await pipeline(
        createReadStream(join(DUMP_DIR, `${table}.copy`)),
        client.query(copyFrom(`copy ${table} from stdin`)),
      );
    }
    await pipeline(
      createReadStream(join(DUMP_DIR, 'auth_users.copy')),
      client.query(copyFrom('copy auth_users from stdin')),
    );
    const copy = (performance.now() - t) / 1000;
    t = performance.now();
    await buildKeysAndIndexes(clients, 'plain');
    return { copy, indexes: (performance.now() - t) / 1000 };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function main(): Promise<void> {
  const name = `bench_seed_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const rssBefore = process.memoryUsage().rss;
  const seeds: SeedSummary[] = [];
  const refs: { copy: number; indexes: number }[] = [];
  let peakRss = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const summary = await seedDatabase({
        profile: loadProfile('launch-10k'),
        users: USERS,
        asOf: new Date('2025-06-01T00:00:00Z'),
        databaseUrl: dbUrl,
        schema: 'plain',
        reset: round > 0,
        workers: WORKERS,
        exportPath: join(DUMP_DIR, 'users.csv'),
        progress: 'none',
      });
      // Peak RSS of this process so far: the seeder's, since the reference has not run yet.
      if (round === 0) peakRss = process.resourceUsage().maxRSS * 1024;
      seeds.push(summary);
      if (round === 0) await dump(dbUrl);
      refs.push(await reference(dbUrl, Math.max(2, WORKERS)));
      process.stderr.write(
        `round ${round + 1}: seeder ${comparable(summary).toFixed(2)} s, raw ${(refs.at(-1)!.copy + refs.at(-1)!.indexes).toFixed(2)} s\n`,
      );
    }
    const bestSeed = seeds.reduce((a, b) => (comparable(a) <= comparable(b) ? a : b));
    const bestRef = refs.reduce((a, b) => (a.copy + a.indexes <= b.copy + b.indexes ? a : b));
    const ref = bestRef.copy + bestRef.indexes;
    const lines = [
      `seed bench: launch-10k, ${USERS} users, ${WORKERS} workers, ${ROUNDS} rounds (best of each), ${maskUrl(dbUrl)}`,
      `  rows: ${bestSeed.totalRows} (messages ${bestSeed.tables.messages.rows})`,
      `  seeder total:              ${bestSeed.seconds.toFixed(2)} s  (${Object.entries(bestSeed.phases)
        .map(([k, v]) => `${k} ${v}s`)
        .join(', ')})`,
      `  seeder plan+load+indexes:  ${comparable(bestSeed).toFixed(2)} s`,
      `  raw COPY FROM + indexes:   ${ref.toFixed(2)} s  (copy ${bestRef.copy.toFixed(2)} s, indexes ${bestRef.indexes.toFixed(2)} s)`,
      `  ratio (plan+load+indexes / raw): ${(comparable(bestSeed) / ref).toFixed(2)}x   goal <= 1.30x`,
      `  ratio (seeder total / raw):      ${(bestSeed.seconds / ref).toFixed(2)}x   (total adds ANALYZE, checksums, export)`,
      `  seeder peak RSS: ${mb(peakRss)} (bench process before seeding ${mb(rssBefore)})   goal <= 256 MB`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(DUMP_DIR, { recursive: true, force: true });
  }
}

await main();
