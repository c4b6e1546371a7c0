import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RUN_FILES, type RunRecord } from '../core/run-record.ts';
import type { BudgetResult } from '../reports/index.ts';
import { type CliResult, runCli } from './support/run-cli.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

const cli = (args: string[]) => runCli(args);

/** A one-scenario budget file: full sync at 1k users for 10 s under `current`, p95 limit `p95Ms`. */
function budgetFile(dir: string, name: string, p95Ms: number, tolerance = 0.5): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      profile: 'ci-smoke',
      policy: 'current',
      // 50% here rather than ci.yaml's 25%: this test shares 2 cores with other suites, and a rerun must
      // not fail because a neighbour was busy; a 2x slowdown is still far past it.
      regression: { tolerance, confidence: 0.95, resamples: 1000, seed: 1, minSamples: 50 },
      scenarios: [
        {
          scenario: 'full-sync',
          users: 1000,
          durationSeconds: 10,
          budgets: [{ endpoint: '*', p95Ms, p99Ms: p95Ms * 2, errorRate: 0.05 }],
        },
      ],
    }),
  );
  return file;
}

/** A copy of a check's run records with every latency halved: against it, the same build is 2x slower. */
function halvedBaseline(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  for (const run of readdirSync(to).filter((d) => existsSync(join(to, d, RUN_FILES.record)))) {
    const dir = join(to, run);
    const record = JSON.parse(readFileSync(join(dir, RUN_FILES.record), 'utf8')) as RunRecord;
    for (const e of Object.values(record.endpoints)) {
      for (const k of ['mean', 'p50', 'p95', 'p99', 'max'] as const) e[k] /= 2;
    }
    writeFileSync(join(dir, RUN_FILES.record), JSON.stringify(record));
    const latency = join(dir, RUN_FILES.latencyDir);
    for (const f of readdirSync(latency)) {
      const values = JSON.parse(readFileSync(join(latency, f), 'utf8')) as number[];
      writeFileSync(join(latency, f), JSON.stringify(values.map((v) => v / 2)));
    }
  }
}

describe('atlas-cap check: bad input exits 2 before running anything (no database or k6 needed)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'atlas-check-usage-'));
  const generous = budgetFile(tmp, 'generous', 10_000);
  // Nothing listens on port 1: a check that got as far as the database would fail there, not with exit 2.
  const nowhere = ['--database-url', 'postgres://postgres@127.0.0.1:1/none'];

  it('names an unknown budget file', async () => {
    const missing = await cli(['check', '--budgets', join(tmp, 'nope.yaml'), ...nowhere]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^atlas-cap: --budgets: unknown budget/);
  });

  it('names an unknown scenario in a budget file and writes nothing', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(
      bad,
      stringify({
        profile: 'ci-smoke',
        policy: 'current',
        regression: { tolerance: 0.2 },
        scenarios: [
          { scenario: 'no-such', users: 1, durationSeconds: 1, budgets: [{ endpoint: '*', p95Ms: 1 }] },
        ],
      }),
    );
    const unknown = await cli(['check', '--budgets', bad, '--out', join(tmp, 'never'), ...nowhere]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown scenario 'no-such'/);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('names a missing --baseline or --runs folder', async () => {
    const baseline = await cli([
      'check',
      '--budgets',
      generous,
      '--baseline',
      join(tmp, 'nowhere'),
      ...nowhere,
    ]);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/--baseline: no such folder/);
    const runs = await cli(['check', '--budgets', generous, '--runs', join(tmp, 'nowhere')]);
    expect(runs.code).toBe(2);
    expect(runs.stderr).toMatch(/--runs: no such folder/);
  });
});

describe(
  'atlas-cap check against the local target (real k6, full-sync 1k users)',
  await needs('PostgreSQL', 'k6'),
  () => {
    let db: ScratchDatabase;
    const tmp = mkdtempSync(join(tmpdir(), 'atlas-check-'));
    const generous = budgetFile(tmp, 'generous', 10_000);
    const tight = budgetFile(tmp, 'tight', 0.01);
    // The A/A rerun: two real 10 s runs of the same build minutes apart on a shared 2-core machine
    // differed by 2.1x once (load 25) and past 1.5x once on a quiet machine, so this asks only that a
    // rerun is not flagged as 2.5x slower; the 2x test below keeps the 50% tolerance.
    const rerun = budgetFile(tmp, 'rerun', 10_000, 1.5);
    // The first check (generous budgets, into tmp/a) runs here: the rerun and the regression tests use
    // its run records as their baseline, and no test may depend on an earlier one having run.
    let first: CliResult;

    beforeAll(async () => {
      db = await createScratchDatabase('atlas_check');
      first = await cli([
        'check',
        '--budgets',
        generous,
        '--database-url',
        db.url,
        '--out',
        join(tmp, 'a'),
        '--junit',
        join(tmp, 'a.xml'),
      ]);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('passes (exit 0) when every budget is above what the target achieves', () => {
      const junit = join(tmp, 'a.xml');
      const r = first;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Latency budgets \(generous\): PASS/);
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toMatch(/<testsuite name="atlas-cap check generous" tests="\d+" failures="0"/);
      expect(xml).toContain('<testcase classname="budget.full-sync" name="rest.messages p95 &lt;= 10000 ms"');
      expect(readFileSync(join(tmp, 'a', 'summary.md'), 'utf8')).toMatch(
        /\| full-sync \| rest\.messages \| p95 \|/,
      );
    });

    it('does not flag a rerun of the same build against the first run as a regression', async () => {
      const r = await cli([
        'check',
        '--budgets',
        rerun,
        '--database-url',
        db.url,
        '--out',
        join(tmp, 'b'),
        '--baseline',
        join(tmp, 'a'),
        '--json',
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const body = JSON.parse(r.stdout) as { passed: boolean; results: BudgetResult[] };
      const messages = body.results.find((x) => x.endpoint === 'rest.messages' && x.metric === 'p95')!;
      expect(messages.baseline!.interval).not.toBeNull(); // enough samples: the comparison was made
      expect(messages.baseline!.regression).toBe(false);
      expect(readFileSync(join(tmp, 'b', 'junit.xml'), 'utf8')).toMatch(
        /<property name="baseline" value="[\d.]+"\/>/,
      );
    });

    it('fails (exit 1, JUnit failures) when a budget is set below what the target achieves', async () => {
      const junit = join(tmp, 'c.xml');
      const r = await cli([
        'check',
        '--budgets',
        tight,
        '--database-url',
        db.url,
        '--out',
        join(tmp, 'c'),
        '--junit',
        junit,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const body = JSON.parse(r.stdout) as { passed: boolean; results: BudgetResult[] };
      expect(body.passed).toBe(false);
      const messages = body.results.find((x) => x.endpoint === 'rest.messages' && x.metric === 'p95')!;
      expect(messages.status).toBe('over-budget');
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toMatch(/failures="[1-9]\d*"/);
      expect(xml).toMatch(/<failure message="[^"]* (>|&gt;) limit 0\.010 ms[^"]*" type="over-budget"/);
    });

    it('flags a 2x regression: the first run judged against a copy of itself with every latency halved', async () => {
      // Judging stored runs (--runs) keeps this exact: two separate loads on a shared 2-core machine
      // differ by chance, but these samples are the same requests, twice as slow as their baseline.
      halvedBaseline(join(tmp, 'a'), join(tmp, 'half'));
      const junit = join(tmp, 'd.xml');
      const r = await cli([
        'check',
        '--budgets',
        generous,
        '--runs',
        join(tmp, 'a'),
        '--baseline',
        join(tmp, 'half'),
        '--out',
        join(tmp, 'd'),
        '--junit',
        junit,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const body = JSON.parse(r.stdout) as { passed: boolean; results: BudgetResult[] };
      const messages = body.results.find((x) => x.endpoint === 'rest.messages' && x.metric === 'p95')!;
      expect(messages.status).not.toBe('over-budget'); // the absolute budget holds: only the regression fails
      expect(messages.baseline!.regression).toBe(true);
      expect(messages.baseline!.interval!.low).toBeGreaterThan(1.5);
      expect(readFileSync(junit, 'utf8')).toMatch(/failures="[1-9]\d*"/);
    });
  },
);
