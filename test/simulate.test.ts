import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticRunRecord } from './support/run-record-fixture.ts';

// `atlas-cap simulate` end to end: the real CLI in a child process, its stdout, stderr and exit code.

const CLI = join(import.meta.dirname, '..', 'bin', 'atlas-cap.js');
const scratch = mkdtempSync(join(tmpdir(), 'atlas-sim-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'simulate', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface ClaimOut {
  id: string;
  verdict: string;
  own: { value: number | [number, number] | null };
  profile: { value: number | null };
}

/** CPU as the run record holds it: target 0.3 ms, database 0.2 ms, k6 0.25 ms per request, plus 0.05 cores of other load. */
function cpuOfRun(requestsPerSecond: number, seconds: number) {
  const group = (ms: number, what: string) => ({
    cpuSeconds: (requestsPerSecond * ms * seconds) / 1000,
    cpuPercentMean: (requestsPerSecond * ms) / 10,
    cpuPercentMax: (requestsPerSecond * ms) / 5,
    processes: what,
  });
  const busy = (requestsPerSecond * 0.75) / 1000 + 0.05;
  return {
    windowSeconds: seconds,
    host: { cpuSeconds: busy * seconds, cpuPercentMean: busy * 100, cpuPercentMax: busy * 150 },
    target: group(0.3, 'target'),
    database: group(0.2, 'postgres'),
    loadGenerator: group(0.25, 'k6'),
    runner: null,
  };
}

/** A run folder as `atlas-cap run` writes it (run.json + samples/series.json). */
function writeRun(
  dir: string,
  id: string,
  users: number,
  meanMs: number,
  inUse: number,
  withCpu = false,
): void {
  mkdirSync(join(dir, 'samples'), { recursive: true });
  const seconds = 60;
  const run = syntheticRunRecord({
    id,
    scenario: 'delta-sync',
    users,
    policy: { name: 'fixed', upstream: { latencyMs: { median: 500, p95: 1500 } } },
    arrivalRates: { sync: users / 100 },
    durationSeconds: seconds,
    endpoints: {
      'rest.conversations': {
        count: users,
        errorRate: 0,
        statuses: { '200': users },
        mean: 5,
        p50: 4,
        p95: 9,
        p99: 12,
        max: 20,
      },
    },
    iterations: { completed: users, dropped: 0, rate: users / seconds, targetRate: users / seconds },
    sync: { mode: 'delta', queriesPerSync: 2.9, dbTimeMsPerSync: 2.9 * meanMs, requestsPerSync: 2.9 },
    queryKinds: { 'select.conversations': { calls: users * 10, meanMs }, health: { calls: 60, meanMs: 0.1 } },
    loadGenerator: { cpuPercentMean: 5, cpuPercentMax: 9, saturated: false, maxVUs: 10 },
    // What the runner measures with /proc: cores by group, linear in the request rate.
    ...(withCpu ? { cpu: cpuOfRun(users / seconds, seconds) } : {}),
  });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
  const series = Array.from({ length: seconds }, (_, t) => ({
    t,
    requests: users / seconds,
    endpoints: {},
    pool: { total: 10, inUse, idle: 10 - inUse, waiting: 0 },
    dbConnections: null,
    upstream: null,
    rateLimited: null,
  }));
  writeFileSync(join(dir, 'samples', 'series.json'), JSON.stringify(series));
}

describe('atlas-cap simulate', () => {
  it("reproduces the analysis's 3,333 syncs/s and ~166,667 queries/s at 100k users under the claims' own assumptions", () => {
    const r = cli('--policy', 'current', '--users', '100000', '--claims', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      claims: ClaimOut[];
      result: { predictions: Array<{ users: number }> };
    };
    const claim = (id: string): ClaimOut => out.claims.find((c) => c.id === id)!;
    expect(claim('A-syncs-per-second-100k').own.value as number).toBeCloseTo(100_000 / 30, 6);
    expect(claim('A-queries-per-second-100k').own.value as number).toBeCloseTo((100_000 / 30) * 50, 4);
    // The document's 166,650 is 3,333 × 50: within its rounding, the arithmetic holds; under the profile
    // (only paid tiers sync) the load is a tenth, so the verdict is "assumption".
    expect(claim('A-queries-per-second-100k').verdict).toBe('assumption');
    // Pool 50 at 500 ms and 2 requests/min saturates at 3,000 users, not 1,000.
    expect(claim('R-pool-50-fails-1k').own.value as number).toBeCloseTo(3000, 6);
    expect(claim('R-pool-50-fails-1k').verdict).toBe('arithmetic');
    expect(claim('R-capacity-200').own.value as number).toBeCloseTo(400, 9);
    expect(claim('R-capacity-200').profile.value as number).toBeLessThan(400);
    // 10k users under the base load (10% online, each tier within its monthly cap) send 4.7/s, not 333.
    expect(claim('R-requests-per-second-10k').verdict).toBe('assumption');
    expect(claim('R-requests-per-second-10k').profile.value as number).toBeLessThan(333 / 10);
    expect(claim('A-delta-reduction').verdict).toBe('holds');
    expect(claim('R-adaptive-reduction').verdict).toBe('holds');
    expect(out.result.predictions.map((p) => p.users)).toEqual([100_000]);
  });

  it('prints a readable table by default: predictions, knees, assumptions', () => {
    const r = cli('--policy', 'current,fixed', '--users', '1000,10000');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^policy\s+users\s+syncs\/s\s+queries\/s/m);
    expect(r.stdout).toMatch(/^current\s+1,000\s/m);
    expect(r.stdout).toMatch(/^fixed\s+10,000\s/m);
    expect(r.stdout).toContain('Knee (largest users the decision rule accepts):');
    expect(r.stdout).toContain('uncalibrated');
  });

  it('bad input exits 2 with one line naming the flag, and prints nothing else', () => {
    for (const [args, pattern] of [
      [['--users', '10,abc'], /^atlas-cap: --users: must be positive integers, got 'abc'\n$/],
      [['--users', '0'], /^atlas-cap: --users: /],
      [['--policy', 'nope'], /^atlas-cap: --policy: unknown polic.* 'nope'/],
      [['--mode', 'fast'], /^atlas-cap: .*mode/],
      [
        ['--base-latency', 'curved'],
        /^atlas-cap: --base-latency: must be one of fading, flat, got 'curved'\n$/,
      ],
      [['--calibration', join(scratch, 'missing')], /^atlas-cap: --calibration: no such folder: /],
      [['--seed', '-1'], /^atlas-cap: --seed: /],
      [['--set', 'nope=1'], /^atlas-cap: --set: unknown assumption 'nope' \(known: monthlyActiveShare, /],
      [
        ['--set', 'peakConcurrentShare=1.5'],
        /^atlas-cap: --set: peakConcurrentShare must be a number from 0 to 1, got 1.5\n$/,
      ],
      [['--set', 'freeTierSyncs'], /^atlas-cap: --set: expected name=value, got 'freeTierSyncs'\n$/],
      [
        ['--set', 'upstreamP95Ms=100'],
        /^atlas-cap: --set: upstreamP95Ms \(100\) must be at least upstreamMedianMs \(500\)\n$/,
      ],
    ] as const) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--rig predicts the measuring machine from runs that measured CPU, and refuses runs that did not', () => {
    const plain = join(scratch, 'rig-plain');
    const measured = join(scratch, 'rig-cpu');
    for (const [i, users] of [600, 1200, 2400].entries()) {
      writeRun(join(plain, `p${i}`), `plain-${users}`, users, 1.5, 1);
      writeRun(join(measured, `m${i}`), `cpu-${users}`, users, 1.5, 1, true);
    }
    const refused = cli(
      '--profile',
      'ci-smoke',
      '--policy',
      'fixed',
      '--users',
      '1000',
      '--calibration',
      plain,
      '--rig',
    );
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^atlas-cap: --rig: needs --calibration runs that measured CPU/);
    const rig = cli(
      '--profile',
      'ci-smoke',
      '--policy',
      'fixed',
      '--users',
      '1000',
      '--calibration',
      measured,
      '--rig',
      '--json',
    );
    expect(rig.stderr).toBe('');
    expect(rig.code).toBe(0);
    const resources = (
      JSON.parse(rig.stdout) as {
        result: { predictions: Array<{ resources: Array<{ name: string; servers: number }> }> };
      }
    ).result.predictions[0]!.resources;
    // One host whose 2 cores (the runs' machine) the target, the database and k6 share.
    expect(resources.find((r) => r.name === 'host.cpu')?.servers).toBe(2);
    const deployment = cli(
      '--profile',
      'ci-smoke',
      '--policy',
      'fixed',
      '--users',
      '1000',
      '--calibration',
      measured,
      '--json',
    );
    const names = (
      JSON.parse(deployment.stdout) as {
        result: { predictions: Array<{ resources: Array<{ name: string }> }> };
      }
    ).result.predictions[0]!.resources.map((r) => r.name);
    expect(names).not.toContain('host.cpu');
  });

  it('calibrates from run folders and names a malformed run.json', () => {
    const runs = join(scratch, 'runs');
    writeRun(join(runs, 'a'), 'run-a', 600, 1.5, 1);
    writeRun(join(runs, 'b'), 'run-b', 1200, 1.5, 2);
    writeRun(join(runs, 'c'), 'run-c', 2400, 1.5, 4);
    const r = cli(
      '--profile',
      'ci-smoke',
      '--policy',
      'fixed',
      '--users',
      '1000',
      '--calibration',
      runs,
      '--json',
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      result: {
        calibration: {
          calibrated: boolean;
          runs: string[];
          demands: Record<string, { meanMs: number }>;
          usl: unknown;
        };
      };
    };
    expect(out.result.calibration.calibrated).toBe(true);
    expect(out.result.calibration.runs).toEqual(['run-a', 'run-b', 'run-c']);
    expect(out.result.calibration.demands['rest.conversations']!.meanMs).toBeCloseTo(1.5, 9);
    expect(out.result.calibration.usl).not.toBeNull();

    const bad = join(scratch, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'run.json'), JSON.stringify({ schemaVersion: 2 }));
    const b = cli('--calibration', bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(join(bad, 'run.json'));
  });

  it('runs the DES from the CLI: same seed, same output; pool time series included', () => {
    const args = [
      '--mode',
      'des',
      '--policy',
      'fixed',
      '--users',
      '2000',
      '--duration',
      '30',
      '--seed',
      '7',
      '--json',
    ];
    const a = cli(...args);
    const b = cli(...args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const out = JSON.parse(a.stdout) as {
      result: {
        predictions: Array<{ mode: string; series: { t: number[]; busy: Record<string, number[]> } }>;
      };
    };
    const p = out.result.predictions[0]!;
    expect(p.mode).toBe('des');
    expect(p.series.t).toHaveLength(30);
    expect(p.series.busy['db.pool']).toHaveLength(30);
  });
});

describe('atlas-cap simulate --scenario', () => {
  // The traffic `atlas-cap run S` sends is what plan.ts hands k6 (arrivalRates); simulate --scenario S
  // must predict exactly that, not the profile's whole workload.
  const predicted = (scenario: string) => {
    const r = cli(
      '--profile',
      'ci-smoke',
      '--policy',
      'current',
      '--users',
      '3000',
      '--scenario',
      scenario,
      '--json',
    );
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout).result.predictions[0].workload as {
      syncsPerSecond: number;
      messagesPerSecond: number;
    };
  };

  it('predicts the syncs of full-sync and no messages, and launch-mix with its messages', async () => {
    const { planScenario } = await import('../scripts/run/plan.ts');
    const { loadProfile } = await import('../core/profile.ts');
    const { loadPolicy } = await import('../core/policy.ts');
    for (const scenario of ['full-sync', 'launch-mix'] as const) {
      const plan = planScenario(scenario, loadProfile('ci-smoke'), loadPolicy('current'), 3000, 60);
      const w = predicted(scenario);
      expect(w.syncsPerSecond).toBeCloseTo(plan.arrivalRates.sync!, 9);
      expect(w.messagesPerSecond).toBeCloseTo(plan.arrivalRates['api.message'] ?? 0, 9);
    }
  });

  it('refuses a scenario that sends probes, and an unknown one', () => {
    const probe = cli('--profile', 'ci-smoke', '--users', '1000', '--scenario', 'isolation');
    expect(probe.code).toBe(2);
    expect(probe.stderr).toMatch(/^atlas-cap: --scenario: isolation sends probes/);
    const unknown = cli('--profile', 'ci-smoke', '--users', '1000', '--scenario', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^atlas-cap: --scenario: unknown scenario 'nope'/);
  });
});
