import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../core/profile.ts';
import {
  readSeedInfo,
  type SeedSummary,
  seedDatabase,
  seedInfoMatches,
  USERS_EXPORT_HEADER,
} from '../scripts/seed/index.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

const AS_OF = new Date('2025-06-01T00:00:00Z');
/** Three faker blocks of 256 users, so 4 workers really split the users. */
const USERS = 600;

function checksums(s: SeedSummary): Record<string, string> {
  return Object.fromEntries(Object.entries(s.tables).map(([t, v]) => [t, v.checksum]));
}

describe('seedDatabase refusals before any connection', () => {
  it('refuses a remote host unless allowRemote names it, with the password masked', async () => {
    const attempt = seedDatabase({
      profile: loadProfile('ci-smoke'),
      databaseUrl: 'postgres://u:hunter2@db.example.com:5432/atlas',
      allowRemote: 'other.example.com',
      schema: 'plain',
      reset: false,
    });
    await expect(attempt).rejects.toThrow(/--database-url: host db\.example\.com is not loopback/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });

  it('refuses users that are not a positive integer', async () => {
    const attempt = seedDatabase({
      profile: loadProfile('ci-smoke'),
      users: 2.5,
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      schema: 'plain',
      reset: false,
    });
    await expect(attempt).rejects.toThrow(/--users: must be a positive integer/);
  });
});

describe('seedDatabase (real PostgreSQL)', await needs('PostgreSQL'), () => {
  const profile = loadProfile('ci-smoke');
  let db: ScratchDatabase;
  let dir: string;
  let first: SeedSummary;

  const seed = (overrides: Partial<Parameters<typeof seedDatabase>[0]> = {}) =>
    seedDatabase({
      profile,
      users: USERS,
      seed: 7,
      asOf: AS_OF,
      databaseUrl: db.url,
      schema: 'plain',
      reset: true,
      workers: 1,
      exportPath: join(dir, 'users.csv'),
      progress: 'none',
      ...overrides,
    });

  async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    db = await createScratchDatabase('seed');
    dir = mkdtempSync(join(tmpdir(), 'atlas-seed-'));
    first = await seed();
  });

  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the expected volumes and records them in seed_info', async () => {
    expect(first.tables.profiles.rows).toBe(USERS);
    expect(first.tables['auth.users'].rows).toBe(USERS);
    expect(first.tables.daily_usage.rows).toBe(USERS * profile.dailyUsage.days);
    expect(first.tables.usage_logs.rows).toBe(
      USERS * profile.usageLogs.eventsPerUserPerDay * profile.usageLogs.days,
    );
    expect(first.tables.response_cache.rows).toBe(profile.responseCache.rows);
    const perUser = first.tables.conversations.rows / USERS;
    expect(perUser).toBeGreaterThan(40);
    expect(perUser).toBeLessThan(60);
    expect(first.scale.scaled).toBe(true);
    expect(first.scale.factor).toBeCloseTo(4 / 100);
    const info = await readSeedInfo(db.url);
    expect(info).toMatchObject({
      profile: 'ci-smoke',
      users: USERS,
      seed: 7,
      asOf: AS_OF.toISOString(),
      schema: 'plain',
    });
    expect(info!.checksums).toEqual(first.tables);
    expect(info!.exportPath).toBe(join(dir, 'users.csv'));
    expect(
      seedInfoMatches(info, { profile: 'ci-smoke', users: USERS, seed: 7, asOf: '2025-06-01T00:00:00.400Z' }),
    ).toBe(true);
    expect(seedInfoMatches(info, { profile: 'ci-smoke', users: USERS, schema: 'partitioned' })).toBe(false);
    expect(seedInfoMatches(info, { seed: 8 })).toBe(false);
  });

  it('gives the same checksums for the same seed with 4 workers, and different ones for another seed', async () => {
    const again = await seed({ workers: 4 });
    expect(checksums(again)).toEqual(checksums(first));
    // --reset dropped the stand-in auth schema the first seed created, so this seed created it again.
    expect(first.authCreated).toBe(true);
    expect(again.authCreated).toBe(true);
    const other = await seed({ seed: 8 });
    for (const table of Object.keys(first.tables)) {
      expect(other.tables[table as keyof typeof first.tables].checksum).not.toBe(
        first.tables[table as keyof typeof first.tables].checksum,
      );
    }
  });

  it('seeds the partitioned schema with the same data as the plain one', async () => {
    const partitioned = await seed({ schema: 'partitioned' });
    expect(checksums(partitioned)).toEqual(checksums(first));
    const [parts] = await query<{ n: string }>(
      `select count(*) as n from pg_inherits where inhparent = 'messages'::regclass`,
    );
    expect(Number(parts!.n)).toBeGreaterThan(6);
    const [outside] = await query<{ n: string }>(
      `select (select count(*) from messages_default) + (select count(*) from usage_logs_default) as n`,
    );
    expect(Number(outside!.n)).toBe(0);
    const info = await readSeedInfo(db.url);
    expect(info!.schema).toBe('partitioned');
  });

  describe('consistency', () => {
    beforeAll(async () => {
      await seed();
    });

    it('has intact foreign keys, keys and auth users', async () => {
      const [r] = await query<{ orphans: string; authless: string; fks: string }>(`
        select (select count(*) from messages m where not exists (select 1 from conversations c where c.id = m.conversation_id))
             + (select count(*) from conversations c where not exists (select 1 from profiles p where p.id = c.user_id)) as orphans,
               (select count(*) from profiles p where not exists (select 1 from auth.users a where a.id = p.id)) as authless,
               (select count(*) from pg_constraint where contype = 'f' and conrelid in ('messages'::regclass, 'conversations'::regclass)) as fks`);
      expect(r).toEqual({ orphans: '0', authless: '0', fks: '2' });
    });

    it("keeps usage between each user's sign-up and last activity", async () => {
      const [r] = await query<{ bad: string }>(`
        select (select count(*) from usage_logs l join profiles p on p.id = l.user_id
                 where l.timestamp > p.updated_at or l.timestamp < p.created_at)
             + (select count(*) from daily_usage d join profiles p on p.id = d.user_id
                 where d.conversations_count > 0 and (d.date > p.updated_at::date or d.date < p.created_at::date)) as bad`);
      expect(r!.bad).toBe('0');
    });

    it("sets every conversation's updated_at to its last message", async () => {
      const [r] = await query<{ bad: string; empty: string }>(`
        select count(*) filter (where c.updated_at is distinct from m.last) as bad,
               count(*) filter (where m.last is null) as empty
          from conversations c left join (select conversation_id, max(created_at) as last from messages group by 1) m
            on m.conversation_id = c.id`);
      expect(r).toEqual({ bad: '0', empty: '0' });
    });

    it('matches the activity classes, the export, and the 30 s change share of active users', async () => {
      const rows = await query<{
        activity: string;
        users: string;
        convs: string;
        hot: string;
        within_hour: string;
        within_day: string;
      }>(`
        with last as (
          select user_id, max(updated_at) as last_activity,
                 count(*) as convs,
                 count(*) filter (where updated_at > timestamptz '${AS_OF.toISOString()}' - interval '30 seconds') as hot,
                 count(*) filter (where updated_at > timestamptz '${AS_OF.toISOString()}' - interval '1 hour') as within_hour,
                 count(*) filter (where updated_at > timestamptz '${AS_OF.toISOString()}' - interval '1 day') as within_day
            from conversations group by user_id)
        select case when last_activity > timestamptz '${AS_OF.toISOString()}' - interval '1 hour' then 'active'
                    when last_activity > timestamptz '${AS_OF.toISOString()}' - interval '24 hours' then 'recent'
                    else 'inactive' end as activity,
               count(*) as users, sum(convs) as convs, sum(hot) as hot, sum(within_hour) as within_hour,
               sum(within_day) as within_day
          from last group by 1`);
      const by = Object.fromEntries(rows.map((r) => [r.activity, r]));
      const share = (a: string) => Number(by[a]?.users ?? 0) / USERS;
      expect(Math.abs(share('active') - profile.activity.active.share)).toBeLessThan(0.05);
      expect(Math.abs(share('recent') - profile.activity.recent.share)).toBeLessThan(0.06);
      const hotShare = Number(by['active']!.hot) / Number(by['active']!.convs);
      expect(Math.abs(hotShare - profile.changeSharePer30s)).toBeLessThan(0.02);
      expect(Number(by['recent']!.within_hour)).toBe(0);
      expect(Number(by['inactive']!.within_day)).toBe(0);
      expect(Number(by['recent']!.hot) + Number(by['inactive']!.hot)).toBe(0);
      // The export names the same classes and last activities as the database.
      const csv = readFileSync(join(dir, 'users.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe(USERS_EXPORT_HEADER);
      expect(csv).toHaveLength(USERS + 1);
      const exported = csv.slice(1).map((l) => l.split(','));
      expect(exported.filter((f) => f[2] === 'active')).toHaveLength(Number(by['active']!.users));
      const [check] = await query<{ bad: string }>(`
        select count(*) as bad from (values ${exported
          .map((f) => `('${f[0]}'::uuid, '${f[4]}'::timestamptz, '${f[5]}'::uuid, ${f[3]})`)
          .join(',')}) as e(id, last_activity, first_conversation, conversations)
        where e.last_activity <> (select max(updated_at) from conversations c where c.user_id = e.id)
           or not exists (select 1 from conversations c where c.id = e.first_conversation and c.user_id = e.id)
           or e.conversations <> (select count(*) from conversations c where c.user_id = e.id)`);
      expect(check!.bad).toBe('0');
    });
  });
});
