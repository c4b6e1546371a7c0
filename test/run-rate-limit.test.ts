import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { runScenario } from '../scripts/run/run-scenario.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

describe('rate-limit scenario', await needs('PostgreSQL', 'k6'), () => {
  let db: ScratchDatabase;
  const out = mkdtempSync(join(tmpdir(), 'atlas-ratelimit-'));
  beforeAll(async () => {
    db = await createScratchDatabase('atlas_rl');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const run = (policy: string) =>
    runScenario({
      scenario: 'rate-limit',
      users: 1000,
      policy: loadPolicy(policy),
      profile: loadProfile('ci-smoke'),
      durationSeconds: 10,
      databaseUrl: db.url,
      target: 'local',
      outDir: join(out, policy),
    });

  it('under fixed, abusive free users get 429s and legitimate users none', async () => {
    const { record } = await run('fixed');
    const classes = record.classes!;
    expect(classes['abusive/free']!.statuses['429'] ?? 0).toBeGreaterThan(0);
    for (const tier of ['free', 'core', 'studio']) {
      expect(classes[`legit/${tier}`]!.count, tier).toBeGreaterThan(0);
      expect(classes[`legit/${tier}`]!.statuses['429'] ?? 0, tier).toBe(0);
    }
    expect(record.thresholds['http_req_failed{class:legit}']!.ok).toBe(true);
  });

  it('under current, nobody gets a 429', async () => {
    const { record } = await run('current');
    for (const [name, summary] of Object.entries(record.classes!)) {
      expect(summary.statuses['429'] ?? 0, name).toBe(0);
    }
    expect(record.classes!['abusive/free']!.count).toBeGreaterThan(0);
  });
});
