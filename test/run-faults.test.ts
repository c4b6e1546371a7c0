import { mkdtempSync } from 'node:fs';
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
