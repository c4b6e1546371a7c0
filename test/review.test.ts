import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '../reports/index.ts';
import { LIVE_RUNS, latestRuns } from '../scripts/commands/review.ts';
import { findRunDirs, loadRun } from '../scripts/inputs/run-records.ts';
import { REVIEW_FIXTURES } from './fixtures/review/review-input.ts';
import { runCli } from './support/run-cli.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { needs } from './support/services.ts';

const FIXTURE_RUNS = join(REVIEW_FIXTURES, 'runs');
const withK6 = await needs('k6');

const cli = (args: string[]) => runCli(args);

function readReview(dir: string): Review {
  return JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')) as Review;
}

describe('run selection', () => {
  it('keeps the newest run per scenario, users and policy', () => {
    const runs = findRunDirs([FIXTURE_RUNS]).map((d) => loadRun(d, '--runs'));
    const older = structuredClone(runs[0]!);
    older.record.startedAt = '2000-01-01T00:00:00.000Z';
    older.record.id = 'older';
    const picked = latestRuns([older, ...runs]);
    expect(picked.map((r) => r.record.id).sort()).toEqual(runs.map((r) => r.record.id).sort());
    const newer = structuredClone(runs[0]!);
    newer.record.startedAt = '2999-01-01T00:00:00.000Z';
    newer.record.id = 'newer';
    expect(latestRuns([...runs, newer]).map((r) => r.record.id)).toContain('newer');
    expect(latestRuns([...runs, newer])).toHaveLength(runs.length);
  });
});

describe('atlas-cap review --no-live', () => {
  const out = mkdtempSync(join(tmpdir(), 'atlas-review-'));

  it('writes the review (HTML, Markdown, every chart as SVG and PNG, data.json) and a latest pointer', async () => {
    const r = await cli(['review', '--no-live', '--runs', FIXTURE_RUNS, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    // A figure for the report, not an assertion (speed goals are benchmarks): the issue asks for < 5 s.
    console.log(`atlas-cap review --no-live took ${(r.ms / 1000).toFixed(2)} s (wall, including Node start)`);
    const summary = JSON.parse(r.stdout) as { dir: string; latest: string; decisions: unknown[] };
    expect(summary.decisions).toHaveLength(9);
    expect(lstatSync(join(out, 'latest')).isSymbolicLink()).toBe(true);
    const dir = join(out, 'latest');
    for (const f of ['report.html', 'report.md', 'data.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    const charts = readdirSync(join(dir, 'charts')).sort();
    // Six charts, and the knee band the review opens with.
    expect(charts.filter((c) => c.endsWith('.svg'))).toHaveLength(7);
    expect(charts.filter((c) => c.endsWith('.png'))).toHaveLength(7);
    const review = readReview(dir);
    expect(review.scales).toEqual([1000, 10000, 100000]);
    expect(review.policies).toEqual(['current', 'fixed', 'scale']);
    expect(review.measured.map((m) => m.id).sort()).toEqual([
      'delta-sync-1000u-fixed-fixture',
      'full-sync-1000u-current-fixture',
      'rate-limit-200u-fixed-fixture',
    ]);
    expect(review.calibration.calibrated).toBe(true);
    expect(review.claims.length).toBeGreaterThan(10); // fixtures/targets/readiness.yaml
    expect(review.live).toMatchObject({ mode: 'no-live', ran: [] });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| scale | current | fixed | scale |');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<figure class="chart"/g)).toHaveLength(7);
    // One file: the what-if's vega is inline; nothing is fetched.
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<script[^>]*\ssrc=|src="http|<link/);
    // Opens with the load, the knee band, the calibration, then the verdict table.
    const order = ['class="load"', 'id="chart-knee-band"', 'id="calibration"', 'id="go-no-go"'].map((s) =>
      html.indexOf(s),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(review.uncertainty?.monteCarlo.draws).toBe(1000);
  });

  it('refuses bad flags with exit 2 and one line, writing nothing', async () => {
    const nothing = join(out, 'never');
    for (const [args, message] of [
      [['--users', '0'], /--users: must be positive integers, got '0'/],
      [['--profile', 'no-such'], /--profile: unknown profile 'no-such'/],
      [['--policies', 'current,nope'], /--policies: unknown policy 'nope'/],
      [['--runs', join(out, 'missing')], /--runs: no such folder/],
      [['--draws', '0'], /--draws: must be a whole number from 1 to 100000, got '?0'?/],
    ] as const) {
      const r = await cli(['review', '--no-live', '--out', nothing, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(nothing)).toBe(false);
  });

  // With k6 present (the global setup builds it) and the database unreachable, each live run is
  // skipped with the database's reason. The no-k6 case is test/review-no-k6.test.ts: nothing here
  // builds k6, since the review only builds it when it is missing.
  it('says plainly what the live calibration skipped and why', withK6, async () => {
    const r = await cli([
      'review',
      '--runs',
      join(out, 'live-runs'),
      '--database-url',
      'postgres://postgres@127.0.0.1:1/unreachable',
      '--live-seconds',
      '2',
      '--out',
      join(out, 'skipped'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const review = readReview(join(out, 'skipped', 'latest'));
    expect(review.live.mode).toBe('live');
    expect(review.live.ran).toEqual([]);
    expect(review.live.skipped.map((s) => s.what)).toEqual(
      LIVE_RUNS.map(({ scenario, policy }) => `${scenario} at 1000 users under ${policy} for 2 s`),
    );
    for (const s of review.live.skipped) {
      expect(s.why).toMatch(
        /^--database-url: cannot reach database postgres:\/\/postgres@127\.0\.0\.1:1\/unreachable/,
      );
    }
    const html = readFileSync(join(out, 'skipped', 'latest', 'report.html'), 'utf8');
    expect(html).toContain('Skipped:');
  });
});

describe(
  'atlas-cap review with its live calibration (real PostgreSQL, target and k6)',
  await needs('PostgreSQL', 'k6'),
  () => {
    let db: ScratchDatabase;
    const out = mkdtempSync(join(tmpdir(), 'atlas-review-live-'));

    beforeAll(async () => {
      db = await createScratchDatabase('atlas_review');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('runs delta sync, full sync and the launch mix at 1k users and puts the measurements beside the predictions', async () => {
      const runs = join(out, 'runs');
      const r = await cli([
        'review',
        '--runs',
        runs,
        '--database-url',
        db.url,
        '--live-seconds',
        '5',
        '--out',
        join(out, 'review'),
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/ran delta-sync at 1000 users under fixed for 5 s/);
      const review = readReview(join(out, 'review', 'latest'));
      expect(review.live.skipped).toEqual([]);
      expect(review.live.ran).toHaveLength(4);
      const scenarios = review.measured.map((m) => `${m.scenario}/${m.policy}/${m.users}`).sort();
      const knee = review.kneeCheck!;
      expect(scenarios).toEqual([
        'delta-sync/fixed/1000',
        'full-sync/current/1000',
        `launch-mix/current/${knee.users}`,
        'launch-mix/fixed/1000',
      ]);
      // The knee step: launch-mix under current below the model's knee, its pool and upstream measured
      // beside the model's prediction of the same step; the sentence is in the report and the chart drawn.
      expect(knee.users).toBeGreaterThanOrEqual(100);
      const sockets = knee.resources.find((x) => x.name === 'upstream.sockets')!;
      expect(sockets.measuredMaxInUse).toBeGreaterThan(0);
      expect(sockets.predictedInUse).toBeGreaterThan(0);
      expect(knee.predictedKnee).toBeGreaterThan(knee.users);
      expect(knee.measuredKnee).toBeGreaterThan(0);
      expect(r.stdout + readFileSync(join(out, 'review', 'latest', 'report.md'), 'utf8')).toContain(
        'Checked against this machine today: predicted knee',
      );
      expect(existsSync(join(out, 'review', 'latest', 'charts', 'knee-step.svg'))).toBe(true);
      const full = review.measured.find((m) => m.scenario === 'full-sync')!;
      const delta = review.measured.find((m) => m.scenario === 'delta-sync')!;
      expect(full.queriesPerSync!).toBeGreaterThan(delta.queriesPerSync!);
      for (const policy of ['current', 'fixed']) {
        expect(review.decisions.find((d) => d.users === 1000 && d.policy === policy)!.evidence).toBe(
          'predicted + measured',
        );
      }
      expect(review.calibration.runs.length).toBeGreaterThan(0);
      // The launch mix measured /healthz under `fixed` (full checks): the health-check target holds at 1k.
      expect(review.readiness.find((t) => t.id === 'health-checks')!.perScale[0]!.verdict).toBe('holds');
    }, 600_000); // three seeded runs, the knee step (its own seed) and a review, on a shared, busy 2-core box
  },
);
