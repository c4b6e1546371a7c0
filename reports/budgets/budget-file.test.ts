import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYamlConfig } from '../../core/load-yaml-config.ts';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { isUsageError } from '../../core/usage-error.ts';
import { parseScenario } from '../../scripts/run/plan.ts';
import { BudgetFileSchema } from './budget-file.ts';

describe('budget files', () => {
  it('ships fixtures/budgets/ci.yaml with known scenarios, profile and policy', () => {
    const file = loadYamlConfig('budgets', 'ci', BudgetFileSchema, '--budgets');
    expect(file.name).toBe('ci');
    expect(loadProfile(file.profile).name).toBe('ci-smoke');
    expect(loadPolicy(file.policy).name).toBe('current');
    for (const s of file.scenarios) {
      expect(parseScenario(s.scenario)).toBe(s.scenario);
      expect(s.durationSeconds).toBeLessThanOrEqual(30); // short: CI pays for every second
    }
    expect(file.regression).toMatchObject({ tolerance: 0.25, confidence: 0.95, seed: 1 });
  });

  it('names the file and field of a bad budget', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-budgets-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'profile: ci-smoke\npolicy: current\nregression: { tolerance: 0.2 }\nscenarios:\n  - { scenario: full-sync, users: 10, durationSeconds: 5, budgets: [{ endpoint: "*" }] }\n',
    );
    try {
      loadYamlConfig('budgets', bad, BudgetFileSchema, '--budgets');
      expect.unreachable();
    } catch (error) {
      expect(isUsageError(error)).toBe(true);
      expect((error as Error).message).toMatch(
        /bad\.yaml: field scenarios\.0\.budgets\.0: set at least one of p95Ms, p99Ms, errorRate/,
      );
    }
  });
});
