import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../core/profile.ts';
import { readSeedInfo, seedDatabase } from '../scripts/seed/index.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'atlas-cap.js');
const AS_OF = '2025-06-01T00:00:00Z';

/** Runs the CLI; resolves with exit code and output whatever the code. */
async function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('atlas-cap seed: bad input exits 2 with one line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-seed-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const local = 'postgres://postgres:s3cret-pw@127.0.0.1:1/none';
  it.each([
    [
      ['--profile', 'no-such-profile', '--database-url', local],
      /--profile: unknown profile 'no-such-profile'/,
    ],
    [
      ['--profile', 'ci-smoke', '--users', '0', '--database-url', local],
      /--users: must be a positive integer/,
    ],
    [
      ['--profile', 'ci-smoke', '--users', 'abc', '--database-url', local],
      /--users: must be a positive integer/,
    ],
    [
      ['--profile', 'ci-smoke', '--users', '1.5', '--database-url', local],
      /--users: must be a positive integer/,
    ],
    [
      ['--profile', 'ci-smoke', '--as-of', 'yesterday', '--database-url', local],
      /--as-of: must be 'now' or an ISO time/,
    ],
    [
      ['--profile', 'ci-smoke', '--database-url', local],
      /cannot reach database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none/,
    ],
    [
      ['--profile', 'ci-smoke', '--database-url', 'postgres://u:s3cret-pw@db.example.com:5432/atlas'],
      /host db\.example\.com is not loopback; pass --allow-remote db\.example\.com/,
    ],
    [
      [
        '--profile',
        'ci-smoke',
        '--database-url',
        'postgres://u:s3cret-pw@db.example.com/atlas',
        '--allow-remote',
        'other.example.com',
      ],
      /is not loopback/,
    ],
  ])('%j', async (args, message) => {
    const r = await cli(['seed', ...args, '--export', join(dir, 'users.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(r.stdout).toBe('');
  });

  it('names the file and field of a malformed profile', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'users: 10\ntierMix: { free: 0.5, core: 0.1, studio: 0.1 }\n');
    const r = await cli(['seed', '--profile', file, '--database-url', local]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/field \S+:/);
  });
});

describe('atlas-cap seed on a real PostgreSQL', await needs('PostgreSQL'), () => {
  let db: ScratchDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createScratchDatabase('seedcli');
    dir = mkdtempSync(join(tmpdir(), 'atlas-seed-cli-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const base = (users = 300) => [
    'seed',
    '--profile',
    'ci-smoke',
    '--users',
    String(users),
    '--as-of',
    AS_OF,
    '--database-url',
    db.url,
  ];

  it('seeds with --json, then refuses the non-empty database without --reset (exit 2, nothing changed)', async () => {
    const r = await cli([...base(), '--json', '--export', join(dir, 'a.csv')]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.tables.profiles.rows).toBe(300);
    expect(summary.tables.messages.checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(summary.reproduce).toBe(
      'atlas-cap seed --profile ci-smoke --users 300 --seed 20251107 --as-of 2025-06-01T00:00:00Z --schema plain',
    );
    const again = await cli([...base(), '--seed', '99', '--export', join(dir, 'b.csv')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds profiles.*pass --reset/);
    expect((await readSeedInfo(db.url))!.checksums).toEqual(summary.tables);
  });

  it("without --as-of: the profile's fixed instant, and the printed command seeds the same tables", async () => {
    const flags = ['--database-url', db.url, '--reset', '--export', join(dir, 'c.csv')];
    const first = await cli(['seed', '--profile', 'ci-smoke', '--users', '200', ...flags]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('as of 2025-06-01T00:00:00.000Z');
    const reproduce = /^reproduce: atlas-cap (.*)$/m.exec(first.stdout)![1]!;
    expect(reproduce).toBe(
      'seed --profile ci-smoke --users 200 --seed 20251107 --as-of 2025-06-01T00:00:00Z --schema plain',
    );
    const before = (await readSeedInfo(db.url))!.checksums;
    const again = await cli([...reproduce.split(' '), ...flags, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).tables).toEqual(before);
  });

  it('cleans up after an interrupted seed with --reset, and keeps a pre-existing auth.users', async () => {
    // A Supabase-like database: auth.users exists and holds someone else's row.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(
        'drop table if exists profiles, conversations, messages, daily_usage, usage_logs, response_cache cascade',
      );
      await client.query('drop schema if exists atlas_harness cascade; drop schema if exists auth cascade');
      await client.query(`create schema auth; create table auth.users (id uuid primary key, email text, role text,
        created_at timestamptz, confirmed boolean default true)`);
      await client.query(
        `insert into auth.users values ('00000000-0000-4000-8000-000000000001', 'keep@x.test', 'x', now())`,
      );
    } finally {
      await client.end();
    }
    // Interrupt a seed mid-way (SIGKILL: no cleanup at all).
    const child: ChildProcess = spawn('node', [BIN, ...base(5000), '--export', join(dir, 'c.csv')], {
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 2500));
    expect(child.exitCode).toBeNull(); // still seeding: the kill really interrupts it
    child.kill('SIGKILL');
    await exited;
    const r = await cli([...base(), '--reset', '--json', '--export', join(dir, 'd.csv')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.authCreated).toBe(false);
    // Same data as a fresh seed of the same inputs.
    const fresh = await createScratchDatabase('seedfresh');
    try {
      const clean = await seedDatabase({
        profile: loadProfile('ci-smoke'),
        users: 300,
        asOf: new Date(AS_OF),
        databaseUrl: fresh.url,
        schema: 'plain',
        reset: false,
        exportPath: join(dir, 'e.csv'),
      });
      expect(clean.authCreated).toBe(true);
      expect(clean.tables).toEqual(summary.tables);
    } finally {
      await fresh.drop();
    }
    // --reset drops what the seeder made and nothing else.
    const reset = await cli([...base(), '--reset', '--export', join(dir, 'f.csv')]);
    expect(reset.code).toBe(0);
    const c2 = new pg.Client({ connectionString: db.url });
    await c2.connect();
    try {
      const { rows } = await c2.query(
        `select count(*)::int as n, bool_or(email = 'keep@x.test') as kept from auth.users`,
      );
      expect(rows[0]).toEqual({ n: 301, kept: true });
    } finally {
      await c2.end();
    }
  });
});
