import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { isUsageError } from '../core/usage-error.ts';
import { runScenario } from '../scripts/run/run-scenario.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

describe('fault runs on the local target', await needs('PostgreSQL', 'k6'), () => {
  let db: ScratchDatabase;
  const out = mkdtempSync(join(tmpdir(), 'atlas-fault-'));
  beforeAll(async () => {
    db = await createScratchDatabase('atlas_fault');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('connections cut mid-run: the run completes, errors are counted, the target recovers, nothing acknowledged is lost', async () => {
    const { record } = await runScenario({
      scenario: 'launch-mix',
      users: 1000,
      policy: loadPolicy('fixed'),
      profile: loadProfile('ci-smoke'),
      durationSeconds: 15,
      databaseUrl: db.url,
      target: 'local',
      fault: 'connections-cut',
      outDir: join(out, 'cut'),
    });
    const fault = record.faults?.['connections-cut'] as {
      terminated: number;
      errorsByKind: Record<string, number>;
      integrity: { acknowledged: number; missing: number };
      recovered: boolean;
    };
    expect(fault.terminated).toBeGreaterThan(0);
    expect(fault.errorsByKind).toBeTypeOf('object');
    expect(fault.integrity.acknowledged).toBeGreaterThan(100);
    expect(fault.integrity.missing).toBe(0);
    expect(fault.recovered).toBe(true);
    expect(record.endpoints['api.message']!.count).toBeGreaterThan(100);
  });

  it('a pool burst: the synced tables locked for 3 s fill the pool, and the record says how it came back', async () => {
    const { record, dir } = await runScenario({
      scenario: 'full-sync',
      users: 3000,
      policy: loadPolicy('current'),
      profile: loadProfile('ci-smoke'),
      durationSeconds: 20,
      databaseUrl: db.url,
      target: 'local',
      fault: 'pool-burst',
      outDir: join(out, 'burst'),
    });
    const fault = record.faults?.['pool-burst'] as {
      atSeconds: number;
      lengthSeconds: number;
      poolRecovery: { calmAfterSeconds: number | null; congestedShare: number; seconds: number } | null;
    };
    expect(fault.atSeconds).toBe(8);
    expect(fault.lengthSeconds).toBe(3);
    // By the lock's last second (10 syncs a second arriving, each blocked on its first statement)
    // every connection was held by a statement waiting for the tables.
    const series = JSON.parse(readFileSync(join(dir, 'samples', 'series.json'), 'utf8')) as Array<{
      t: number;
      pool: { total: number; inUse: number; waiting: number } | null;
    }>;
    const during = series.filter((s) => s.t >= 10 && s.t < 11 && s.pool);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((s) => s.pool!.inUse === s.pool!.total)).toBe(true);
    // Far below the knee (3,000 users; the 2-core rig's full-sync knee is near 9,000) the pool drains.
    expect(fault.poolRecovery).not.toBeNull();
    expect(fault.poolRecovery!.calmAfterSeconds).not.toBeNull();
    expect(fault.poolRecovery!.calmAfterSeconds!).toBeLessThanOrEqual(5);
  });
});

describe('fault runs: bad options (no database or k6 needed)', () => {
  it('refuses bad options before touching anything', async () => {
    const base = {
      users: 1000,
      policy: loadPolicy('fixed'),
      profile: loadProfile('ci-smoke'),
      durationSeconds: 10,
      // Nothing listens on port 1: a run that got as far as the database would fail there instead.
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
    };
    const refused = async (options: Parameters<typeof runScenario>[0]): Promise<string> => {
      try {
        await runScenario(options);
      } catch (error) {
        if (isUsageError(error)) return error.message;
        throw error;
      }
      throw new Error('expected a UsageError');
    };
    expect(await refused({ ...base, scenario: 'nope', target: 'local' })).toMatch(/unknown scenario 'nope'/);
    expect(await refused({ ...base, scenario: 'delta-sync', target: 'local', fault: 'meteor' })).toMatch(
      /--fault/,
    );
    expect(await refused({ ...base, scenario: 'delta-sync', target: 'local', durationSeconds: 0 })).toMatch(
      /--duration/,
    );
    expect(await refused({ ...base, scenario: 'delta-sync', target: 'local', warmupSeconds: -1 })).toMatch(
      /--warmup: must be a whole number of seconds from 0/,
    );
    expect(await refused({ ...base, scenario: 'delta-sync', target: 'http://staging.example.com' })).toMatch(
      /--allow-remote staging\.example\.com/,
    );
    expect(await refused({ ...base, scenario: 'delta-sync', target: 'local', fault: 'restart-db' })).toMatch(
      /embedded PostgreSQL/,
    );
  });
});
