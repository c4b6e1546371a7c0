import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The benches refuse bad input before they run anything: one line naming the bench, the flag and what
// is allowed, exit 2 (bench-flags.ts). Spawned as `npm run bench:*` runs them; none reaches a database.
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function bench(file: string, ...args: string[]): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench', file), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never' },
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("the benches' bad input", () => {
  it('bench:knee: a case it does not know', () => {
    const r = bench('knee-bench.ts', '--case', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("bench:knee: --case must be full-sync, launch-mix or both, got 'nope'\n");
    expect(r.stdout).toBe('');
  });

  it('bench:knee: a flag it does not have, on one line', () => {
    const r = bench('knee-bench.ts', '--bogus');
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith('bench:knee: ')).toBe(true);
    expect(r.stderr).toContain("'--bogus'");
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('bench:repeatability: users that are not a whole number >= 1', () => {
    const r = bench('repeatability-bench.ts', '--case', 'full-sync', '--users', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("bench:repeatability: --users must be a whole number >= 1, got '0'\n");
  });

  it('bench:calibration: a --reuse folder that does not exist', () => {
    const r = bench('calibration-bench.ts', '--reuse', '/nonexistent/atlas-runs');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bench:calibration: --reuse: /nonexistent/atlas-runs does not exist\n');
  });
});
