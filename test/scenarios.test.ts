import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { findK6 } from '../scripts/k6/binary.ts';
import { bundleScenario } from '../scripts/k6/bundle.ts';
import { inspectScenario, parseGoDuration } from '../scripts/k6/run-k6.ts';
import { parseThresholds } from '../scripts/k6/thresholds.ts';
import {
  DEFAULT_MAX_VUS,
  measuredWindowEnv,
  planScenario,
  SCENARIOS,
  SCENARIOS_DIR,
} from '../scripts/run/plan.ts';
import { needs } from './support/services.ts';

const ROOT = resolve(import.meta.dirname, '..');
const k6 = findK6() ?? resolve(ROOT, '.tools/bin/k6');
const withK6 = await needs('k6');

describe('scenarios', () => {
  let csv: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-scenarios-'));
    csv = join(dir, 'users.csv');
    const lines = ['id,tier,activity,conversations,last_activity,first_conversation_id'];
    const tiers = ['free', 'free', 'free', 'core', 'studio'];
    const classes = ['active', 'recent', 'inactive'];
    for (let i = 0; i < 60; i++) {
      const hex = i.toString(16).padStart(12, '0');
      lines.push(
        `00000000-0000-4000-8000-${hex},${tiers[i % 5]},${classes[i % 3]},3,2026-01-01T00:00:00Z,10000000-0000-4000-8000-${hex}`,
      );
    }
    writeFileSync(csv, lines.join('\n') + '\n');
  });

  it('has one file per scenario and type-checks with @types/k6', () => {
    const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(SCENARIOS.map((s) => `${s}.ts`).sort());
    // Throws (and fails the test with tsc's output) on any type error in scenarios/.
    execFileSync(
      process.execPath,
      [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'scenarios/tsconfig.json', '--noEmit'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
  });

  it(
    'every scenario passes k6 inspect with the runner environment: open model, bounded, thresholds',
    withK6,
    async () => {
      const profile = loadProfile('ci-smoke');
      for (const policyName of ['current', 'fixed']) {
        const policy = loadPolicy(policyName);
        for (const scenario of SCENARIOS) {
          const plan = planScenario(scenario, profile, policy, 1000, 20);
          const options = await inspectScenario(k6, resolve(SCENARIOS_DIR, `${scenario}.ts`), {
            ...plan.env,
            USERS_CSV: csv,
            BASE_URL: 'http://127.0.0.1:9',
          });
          const scenarios = Object.values(options.scenarios ?? {});
          expect(scenarios.length, scenario).toBeGreaterThan(0);
          for (const s of scenarios) {
            expect(s.executor, scenario).toMatch(/arrival-rate$/);
            expect(s.maxVUs, scenario).toBeLessThanOrEqual(DEFAULT_MAX_VUS);
            expect(s.preAllocatedVUs, scenario).toBeGreaterThanOrEqual(1);
            const length = s.duration
              ? parseGoDuration(s.duration)
              : (s.stages ?? []).reduce((n, st) => n + parseGoDuration(st.duration), 0);
            expect(length, scenario).toBe(20);
          }
          const thresholds = parseThresholds(options.thresholds ?? {});
          expect(thresholds.length, scenario).toBeGreaterThan(0);
          if (scenario !== 'ramp-to-knee')
            expect(Object.keys(options.thresholds ?? {}), scenario).toContain('dropped_iterations');
        }
      }
    },
  );

  it('the bundle k6 runs resolves to the same options as each scenario file', withK6, async () => {
    const plan = (scenario: (typeof SCENARIOS)[number]) =>
      planScenario(scenario, loadProfile('ci-smoke'), loadPolicy('fixed'), 1000, 20);
    const out = mkdtempSync(join(tmpdir(), 'atlas-bundles-'));
    for (const scenario of SCENARIOS) {
      const env = { ...plan(scenario).env, USERS_CSV: csv, BASE_URL: 'http://127.0.0.1:9' };
      const file = resolve(SCENARIOS_DIR, `${scenario}.ts`);
      const bundle = await bundleScenario(file, out);
      expect(readFileSync(bundle, 'utf8'), scenario).not.toMatch(/from ["']\.\.?\//); // no relative imports left
      expect(await inspectScenario(k6, bundle, env), scenario).toEqual(await inspectScenario(k6, file, env));
    }
  });

  it(
    'with a warm-up every scenario is one run of W + D s; a ramp holds its start rate through W',
    withK6,
    async () => {
      const profile = loadProfile('ci-smoke');
      const policy = loadPolicy('current');
      const inspect = (scenario: (typeof SCENARIOS)[number], env: Record<string, string>) =>
        inspectScenario(k6, resolve(SCENARIOS_DIR, `${scenario}.ts`), {
          ...env,
          USERS_CSV: csv,
          BASE_URL: 'http://127.0.0.1:9',
        });
      for (const scenario of SCENARIOS) {
        // --warmup 10 --duration 20: 30 s of the same load in one run.
        const options = await inspect(scenario, planScenario(scenario, profile, policy, 1000, 20, 10).env);
        for (const s of Object.values(options.scenarios ?? {})) {
          const length = s.duration
            ? parseGoDuration(s.duration)
            : (s.stages ?? []).reduce((n, st) => n + parseGoDuration(st.duration), 0);
          expect(length, scenario).toBe(30);
        }
      }
      // A 100/s end (1000 per 10 s) and the 1/s start (10 per 10 s): held 10 s, then the ramp over 20 s.
      const env = {
        ...planScenario('ramp-to-knee', profile, policy, 1000, 20, 10).env,
        RAMP_END_RATE: '100',
      };
      const ramp = (await inspect('ramp-to-knee', env)).scenarios!['ramp']!;
      expect([ramp.startRate, ramp.timeUnit]).toEqual([10, '10s']);
      expect(ramp.stages).toEqual([
        { target: 10, duration: '10s' },
        { target: 1000, duration: '20s' },
      ]);
      // The window alone (what the runner reads the offered rate from): the ramp without the hold.
      const window = (await inspect('ramp-to-knee', measuredWindowEnv(env))).scenarios!['ramp']!;
      expect(window.stages).toEqual([{ target: 1000, duration: '20s' }]);
    },
  );

  it("sizes VUs by Little's law from the rate and the iteration time", withK6, async () => {
    const plan = planScenario('full-sync', loadProfile('ci-smoke'), loadPolicy('current'), 1000, 20);
    const options = await inspectScenario(k6, resolve(SCENARIOS_DIR, 'full-sync.ts'), {
      ...plan.env,
      USERS_CSV: csv,
      SYNC_RATE_ACTIVE: '20',
      SYNC_ITER_S: '0.5',
    });
    const active = options.scenarios!['sync_active']!;
    // A VU is held 0.5 s + the arrival delay's mean (one 50 ms beat / 2) = 0.525 s: 20/s × 0.525 s = 10.5
    // busy VUs; max(2 × 10.5, 10.5 + 4√10.5 = 23.46) → 24, + 1; 4× Little's law (42) + 2 as the bound.
    expect(active.preAllocatedVUs).toBe(25);
    expect(active.maxVUs).toBe(44);
    expect(active.env).toEqual({ ARRIVAL_SPREAD_S: '0.05' });
    expect(active.rate! / parseGoDuration(active.timeUnit!)).toBeCloseTo(20, 9);
  });
});
