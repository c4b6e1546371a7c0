import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `atlas-cap validate` end to end on the review's run-record fixtures: the real CLI in a child process.

const CLI = join(import.meta.dirname, '..', 'bin', 'atlas-cap.js');
const RUNS = join(import.meta.dirname, 'fixtures', 'review', 'runs');
const FULL = join(RUNS, 'full-sync-1000u-current-fixture');
const DELTA = join(RUNS, 'delta-sync-1000u-fixed-fixture');
const RIG = join(import.meta.dirname, 'fixtures', 'rig-runs');
const scratch = mkdtempSync(join(tmpdir(), 'atlas-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'validate', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of a fixture run with its run.json changed by `edit`. */
function variant(from: string, name: string, edit: (r: Record<string, unknown>) => void): string {
  const dir = join(scratch, name);
  cpSync(from, dir, { recursive: true });
  const file = join(dir, 'run.json');
  const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(record);
  writeFileSync(file, JSON.stringify(record));
  return dir;
}

describe('atlas-cap validate', () => {
  it('prints measured beside predicted for each held-out run, and the knee', () => {
    const r = cli('--fit', FULL, '--held-out', FULL, DELTA);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/predicted knee of full-sync: \d+ users, bottleneck /);
    expect(r.stdout).toContain('full-sync-1000u-current-fixture: full-sync, 1000 users');
    expect(r.stdout).toContain('delta-sync-1000u-fixed-fixture: delta-sync, 1000 users');
    expect(r.stdout).toMatch(/throughput +measured +3\.33 +predicted +3\.3\d/);
    expect(r.stdout).toMatch(/p95 rest\.conversations +measured +21\.58/);
    expect(r.stdout).toMatch(/busy db\.pool +measured/);
    expect(r.stdout).toMatch(/dropped iterations measured +0/);
    // The fixture records no iteration duration: its syncs in flight are not measured.
    expect(r.stdout).toMatch(/in flight \(k6 VUs\) measured +n\/a +predicted +\d+\.\d\d +iterations/);
  });

  it('measures the iterations in flight as rate × mean duration (k6 busy VUs) beside the prediction', () => {
    // 3.33 syncs/s lasting 120 ms each: 0.3996 in flight.
    const timed = variant(FULL, 'full-sync-timed', (rec) => {
      (rec.iterations as Record<string, unknown>).meanDurationMs = 120;
    });
    const r = cli('--fit', FULL, '--held-out', timed, '--json');
    expect(r.stderr).toBe('');
    const l = JSON.parse(r.stdout).levels[0];
    expect(l.measured.iterationsInFlight).toBeCloseTo(0.3996, 10);
    expect(l.predicted.iterationsInFlight).toBeGreaterThan(0);
    // Each also waited a 30 ms arrival delay first, on its VU: 3.33 × 0.150 s = 0.4995 busy VUs.
    const delayed = variant(FULL, 'full-sync-delayed', (rec) => {
      const it = rec.iterations as Record<string, unknown>;
      it.meanDurationMs = 120;
      it.meanArrivalDelayMs = 30;
    });
    const d = JSON.parse(cli('--fit', FULL, '--held-out', delayed, '--json').stdout).levels[0];
    expect(d.measured.iterationsInFlight).toBeCloseTo(0.4995, 10);
  });

  it('prints the JSON shape of the issue with --json', () => {
    const r = cli('--fit', FULL, '--held-out', FULL, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(typeof out.knee.users).toBe('number');
    expect(['db.pool', 'upstream.sockets', 'db.cpu', 'app.cpu', 'host.cpu', 'app.loop']).toContain(
      out.knee.bottleneck,
    );
    expect(out.levels).toHaveLength(1);
    const l = out.levels[0];
    expect(l.run).toBe('full-sync-1000u-current-fixture');
    expect(l.users).toBe(1000);
    // Measured figures are the record's, exactly.
    expect(l.measured.throughput).toBe(3.33);
    expect(l.measured.p95Ms['rest.conversations']).toBe(21.58);
    expect(typeof l.measured.busy['db.pool']).toBe('number');
    // Predicted: the full-sync traffic of 1,000 ci-smoke users (10 % paid sync every 30 s: 3.33/s).
    expect(l.predicted.throughput).toBeCloseTo(100 / 30, 2);
    expect(typeof l.predicted.p95Ms['rest.conversations']).toBe('number');
    expect(l.predicted.p95Ms['api.message']).toBeUndefined();
    expect(typeof l.predicted.busy['db.pool']).toBe('number');
    expect(l.predicted.saturated).toBe(false);
  });

  it('refuses a missing folder', () => {
    const r = cli('--fit', join(scratch, 'nope'), '--held-out', FULL);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^atlas-cap: --fit: no such folder: .*nope/);
    expect(r.stdout).toBe('');
  });

  it('reads --knee-probe runs, and refuses a missing one or one of another machine', () => {
    expect(cli('--fit', FULL, '--held-out', FULL, '--knee-probe', FULL).code).toBe(0);
    const missing = cli('--fit', FULL, '--held-out', FULL, '--knee-probe', join(scratch, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^atlas-cap: --knee-probe: no such folder: .*nope\n$/);
    const other = variant(FULL, 'probe-four-cores', (r) => {
      (r.machine as { cores: number }).cores = 4;
    });
    const mixed = cli('--fit', FULL, '--held-out', FULL, '--knee-probe', other);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^atlas-cap: --knee-probe: .*probe-four-cores ran on 4 cores.*\n$/);
  });

  it('refuses a record of another profile than asked', () => {
    const r = cli('--fit', FULL, '--held-out', FULL, '--profile', 'launch-10k');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^atlas-cap: --fit: .* is a run of profile 'ci-smoke', not 'launch-10k' \(--profile\)\n$/,
    );
    expect(cli('--fit', FULL, '--held-out', FULL, '--profile', 'ci-smoke').code).toBe(0);
  });

  it('refuses runs of different machines unless --mixed-machines', () => {
    const other = variant(FULL, 'four-cores', (r) => {
      (r.machine as { cores: number }).cores = 4;
    });
    const r = cli('--fit', FULL, '--held-out', other);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^atlas-cap: --held-out: .*four-cores ran on 4 cores.*--mixed-machines/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli('--fit', FULL, '--held-out', other, '--mixed-machines').code).toBe(0);
  });

  it('predicts each held-out run at the speed its own host CPU per iteration shows with --speed run-cpu', () => {
    // Real rig runs (bench:knee full sync, 2026-12-05 05:10, test/fixtures/rig-runs): three fit levels,
    // and two replicates of 9,755 users whose host CPU per iteration differed (53.6 and 48.5 ms).
    const fit = ['2000', '3500', '5000'].map((u) => join(RIG, `fit-full-sync-${u}u-r1`));
    const held = ['r1', 'r2'].map((r) => join(RIG, `held-full-sync-9755u-${r}`));
    const args = ['--fit', ...fit, '--held-out', ...held, '--json'];
    const probe = JSON.parse(cli(...args).stdout).levels;
    const r = cli(...args, '--speed', 'run-cpu');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const levels = JSON.parse(r.stdout).levels;
    const perIteration = (f: { busy: Record<string, number>; throughput: number }) =>
      f.busy['host.cpu']! / f.throughput;
    for (const [i, l] of levels.entries()) {
      expect(probe[i].predicted.cpuScale).toBeUndefined();
      // Its host CPU per iteration is the measured one, within the half per cent the search stops at.
      expect(Math.abs(perIteration(l.predicted) / perIteration(l.measured) - 1)).toBeLessThan(0.006);
    }
    // The dearer replicate is predicted on a slower machine, and slower.
    expect(perIteration(levels[0].measured)).toBeGreaterThan(perIteration(levels[1].measured) * 1.05);
    expect(levels[0].predicted.cpuScale).toBeGreaterThan(levels[1].predicted.cpuScale);
    for (const e of ['rest.conversations', 'rest.messages', 'rest.push'])
      expect(levels[0].predicted.p95Ms[e]).toBeGreaterThan(levels[1].predicted.p95Ms[e]);
    const text = cli('--fit', ...fit, '--held-out', held[0]!, '--speed', 'run-cpu').stdout;
    expect(text).toMatch(/at the run's CPU +durations ×\d\.\d{3} of the calibration's/);
    const bad = cli('--fit', ...fit, '--held-out', held[0]!, '--speed', 'fast');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/speed/);
    expect(bad.stdout).toBe('');
  });
});
