import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DatabaseActivitySchema } from '../../core/run-record.ts';
import { needs, TEST_DATABASE_URL } from '../../test/support/services.ts';
import { type DatabaseCounters, databaseActivityBetween, readDatabaseCounters } from './database-activity.ts';

const withPostgres = await needs('PostgreSQL');

const before: DatabaseCounters = {
  blocksHit: 1_000,
  blocksRead: 200,
  checkpoints: 7,
  autovacuums: 3,
  sizeBytes: 100e6,
  sharedBuffersBytes: 128 * 1024 * 1024,
};

describe('database activity over a run', () => {
  it('is the counters after minus before, with the hit ratio, and the size at the end', () => {
    const a = databaseActivityBetween(before, {
      ...before,
      blocksHit: 10_000,
      blocksRead: 2_200,
      checkpoints: 8,
      autovacuums: 5,
      sizeBytes: 101e6,
    })!;
    expect(a).toEqual({
      blocksHit: 9_000,
      blocksRead: 2_000,
      hitRatio: 9_000 / 11_000,
      checkpoints: 1,
      autovacuums: 2,
      sizeBytes: 101e6,
      sharedBuffersBytes: 128 * 1024 * 1024,
    });
    expect(DatabaseActivitySchema.parse(a)).toEqual(a);
  });

  it('no page touched: no ratio; a counter gone back (statistics reset) or missing: no activity', () => {
    expect(databaseActivityBetween(before, before)!.hitRatio).toBeNull();
    expect(databaseActivityBetween(before, { ...before, blocksHit: 10 })).toBeNull();
    expect(databaseActivityBetween(null, before)).toBeNull();
    expect(databaseActivityBetween(before, null)).toBeNull();
  });

  it(
    'reads the counters of a real server, and they grow with the pages a query touches',
    withPostgres,
    async () => {
      const first = await readDatabaseCounters(TEST_DATABASE_URL);
      expect(first).not.toBeNull();
      expect(first!.sizeBytes).toBeGreaterThan(0);
      expect(first!.sharedBuffersBytes).toBeGreaterThan(0);
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query('select count(*) from pg_class c join pg_attribute a on a.attrelid = c.oid');
      } finally {
        await client.end();
      }
      // Backends publish their counters to the statistics views within about a second.
      let activity = null;
      for (let i = 0; i < 30 && !(activity && activity.blocksHit + activity.blocksRead > 0); i++) {
        await new Promise((r) => setTimeout(r, 200));
        activity = databaseActivityBetween(first, await readDatabaseCounters(TEST_DATABASE_URL));
      }
      expect(activity!.blocksHit + activity!.blocksRead).toBeGreaterThan(0);
    },
  );

  it('an unreachable server gives no counters (the run records none)', async () => {
    expect(await readDatabaseCounters('postgres://postgres@127.0.0.1:1/none')).toBeNull();
  });
});
