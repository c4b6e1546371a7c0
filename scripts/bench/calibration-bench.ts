// `npm run bench:calibration`: does the calibrated simulator predict load levels it was not fitted on?
// (issue 5, done-when: "within 15% of the measured throughput and p95 below the knee").
//   1. On a scratch database of the machine's PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres;
//      created here, dropped at the end), runs full-sync under `current` on the local target at several user
//      counts (seeded, vacuumed and checkpointed first; runScenario: target, k6), 60 s each (~8 min in all).
//   2. Calibrates the simulator on some of the runs, predicts the others (held out) with simulate(), and
//      prints per held-out level the measured and predicted throughput and p95 per endpoint, the relative
//      errors and PASS/FAIL against 15%.
// Flags: --fit 1500,3000,4500  --held-out 2250,6000,7500  --seconds 60  --reuse DIR (read the runs of an earlier
// bench in DIR instead of running; the runs of a fresh bench are kept under reports/runs/calibration-bench-*).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile, type Profile } from '../../core/profile.ts';
import { RUN_FILES } from '../../core/run-record.ts';
import type { Calibration, CalibrationRun, Prediction } from '../../simulator/index.ts';
import { calibrate, Random, runQueriesPerSecond, simulate } from '../../simulator/index.ts';
import { readRunRecords } from '../lib/read-run-records.ts';
import { runScenario } from '../run/run-scenario.ts';
import { seedDatabase } from '../seed/index.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SCENARIO = 'full-sync';
const POLICY = 'current';
const PROFILE = 'ci-smoke';
/** The done-when's bound on relative error. */
const TOLERANCE = 0.15;
/** Endpoints whose p95 is compared (the sync's three request kinds). */
const ENDPOINTS = ['rest.conversations', 'rest.messages', 'rest.push'] as const;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function numbers(value: string): number[] {
  return value.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(`not a user count: '${s}'`);
    return n;
  });
}

const fit = numbers(flag('fit') ?? '1500,3000,4500');
const heldOut = numbers(flag('held-out') ?? '2250,6000,7500');
const seconds = Number(flag('seconds') ?? '60');
const reuse = flag('reuse');

async function withAdmin<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Runs every level on a scratch database; returns the folder holding the run records. */
async function runLevels(levels: number[]): Promise<string> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `atlas_calbench_${process.pid}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dir = join(
    ROOT,
    'reports',
    'runs',
    `calibration-bench-${new Date().toISOString().replace(/[-:.]/g, '')}`,
  );
  mkdirSync(dir, { recursive: true });
  try {
    for (const users of levels) {
      const t0 = performance.now();
      // Seeded here (runScenario then finds the seed and keeps it), vacuumed and checkpointed: a fresh
      // COPY leaves unset hint bits and WAL that a checkpoint would write during the measured seconds;
      // production tables are neither fresh nor mid-checkpoint.
      await seedDatabase({
        profile: loadProfile(PROFILE),
        users,
        databaseUrl: url.toString(),
        schema: 'plain',
        reset: true,
        progress: 'none',
        log: (line) => process.stderr.write(`  [${users}u] ${line}\n`),
      });
      await withAdmin(url.toString(), async (c) => {
        await c.query('vacuum (analyze)');
        await c.query('checkpoint');
      });
      const { record } = await runScenario({
        scenario: SCENARIO,
        users,
        policy: loadPolicy(POLICY),
        profile: loadProfile(PROFILE),
        durationSeconds: seconds,
        databaseUrl: url.toString(),
        target: 'local',
        outDir: join(dir, `${SCENARIO}-${users}u-${POLICY}`),
        log: (line) => process.stderr.write(`  [${users}u] ${line}\n`),
      });
      process.stderr.write(
        `ran ${SCENARIO} ${users}u: ${record.iterations.rate.toFixed(2)} syncs/s (asked ${record.iterations.targetRate.toFixed(2)}) in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
      );
    }
  } finally {
    await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
  }
  return dir;
}

function rel(predicted: number | null, measured: number): number | null {
  return predicted === null || measured <= 0 ? null : (predicted - measured) / measured;
}

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

function verdict(x: number | null): string {
  return x !== null && Math.abs(x) <= TOLERANCE ? 'PASS' : 'FAIL';
}

/** p95 as k6 computes it (linear interpolation between closest ranks) of sorted values. */
function p95Of(sorted: Float64Array): number {
  const h = (sorted.length - 1) * 0.95;
  const lo = Math.floor(h);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (h - lo);
}

/**
 * 90% bootstrap interval of a run's p95 from its raw samples (samples/latency/<endpoint>.json): how
 * precisely one run measures it. A few hundred requests (one conversations request per sync) give a
 * wide interval; a 15% comparison cannot be resolved inside it.
 */
function p95Interval(dir: string, endpoint: string): [number, number] | null {
  const file = join(dir, RUN_FILES.latencyDir, `${endpoint}.json`);
  if (!existsSync(file)) return null;
  const xs = Float64Array.from(JSON.parse(readFileSync(file, 'utf8')) as number[]);
  if (xs.length < 20) return null;
  const rnd = new Random(1);
  const b = new Float64Array(xs.length);
  const stats: number[] = [];
  for (let i = 0; i < 300; i++) {
    for (let j = 0; j < xs.length; j++) b[j] = xs[Math.floor(rnd.uniform() * xs.length)]!;
    stats.push(p95Of(b.sort()));
  }
  stats.sort((a, c) => a - c);
  return [stats[15]!, stats[284]!];
}

/** Measured and predicted figures of one held-out run, printed as lines; returns whether all pass. */
function compare(run: CalibrationRun & { dir: string }, p: Prediction): { lines: string[]; pass: boolean } {
  const r = run.record;
  const lines: string[] = [];
  let pass = true;
  const measuredQps = runQueriesPerSecond(r);
  const predictedQps = p.workload.syncQueriesPerSecond;
  const measuredSyncs = r.iterations.rate;
  const predictedSyncs = p.workload.syncsPerSecond;
  const e1 = rel(predictedSyncs, measuredSyncs);
  const e2 = rel(predictedQps, measuredQps);
  pass &&= verdict(e1) === 'PASS' && verdict(e2) === 'PASS';
  lines.push(`${r.users} users (held out): ${r.id}`);
  lines.push(
    `  throughput  syncs/s   measured ${measuredSyncs.toFixed(2).padStart(8)}  predicted ${predictedSyncs.toFixed(2).padStart(8)}  ${pct(e1).padStart(7)}  ${verdict(e1)}`,
  );
  lines.push(
    `  throughput  queries/s measured ${measuredQps.toFixed(1).padStart(8)}  predicted ${predictedQps.toFixed(1).padStart(8)}  ${pct(e2).padStart(7)}  ${verdict(e2)}`,
  );
  for (const endpoint of ENDPOINTS) {
    const m = r.endpoints[endpoint];
    const e = p.endpoints.find((x) => x.endpoint === endpoint);
    if (!m || !e) continue;
    const err = rel(e.p95Ms, m.p95);
    pass &&= verdict(err) === 'PASS';
    const ci = p95Interval(run.dir, endpoint);
    const inside = ci !== null && e.p95Ms !== null && e.p95Ms >= ci[0] && e.p95Ms <= ci[1];
    lines.push(
      `  p95 ${endpoint.padEnd(19)} measured ${m.p95.toFixed(2).padStart(8)}  predicted ${(e.p95Ms ?? Number.NaN).toFixed(2).padStart(8)}  ${pct(err).padStart(7)}  ${verdict(err)}   (ms; ${m.count} requests, measured p95 90% interval ${ci ? `${ci[0].toFixed(2)}-${ci[1].toFixed(2)}` : 'n/a'}${inside ? ', prediction inside' : ''}; mean ${m.mean.toFixed(2)} vs ${(e.meanMs ?? Number.NaN).toFixed(2)})`,
    );
  }
  const kinds = Object.entries(r.queryKinds)
    .filter(([k]) => k.startsWith('select.'))
    .map(([k, v]) => `${k} ${v.meanMs.toFixed(3)} ms`);
  lines.push(`  statement means measured in this run: ${kinds.join(', ')}`);
  const pool = p.resources.find((x) => x.name === 'db.pool')!;
  const busy = run.series.filter((s) => s.pool).map((s) => s.pool!.inUse);
  lines.push(
    `  db.pool busy: measured mean ${(busy.reduce((a, b) => a + b, 0) / Math.max(1, busy.length)).toFixed(2)} (max ${Math.max(0, ...busy)}), predicted ${pool.offeredLoad.toFixed(2)} of ${pool.servers}`,
  );
  return { lines, pass };
}

function describeCalibration(cal: Calibration): string[] {
  const lines = ['calibration:'];
  for (const [k, d] of Object.entries(cal.demands))
    if (d.source.startsWith('calibrated')) lines.push(`  demand ${k.padEnd(19)} ${d.meanMs.toFixed(3)} ms`);
  for (const [k, v] of Object.entries(cal.requestOverheadMs))
    lines.push(`  overhead ${k.padEnd(17)} ${v.toFixed(3)} ms`);
  lines.push(`  connection overhead ${cal.connectionOverheadMs} ms`);
  for (const n of cal.notes) lines.push(`  note: ${n}`);
  return lines;
}

/**
 * The profile as the scenario loads it: full-sync sends syncs only, so the prediction leaves out the
 * profile's /api/message traffic (which would add its statements and upstream calls to the model).
 */
function scenarioProfile(): Profile {
  return { ...loadProfile(PROFILE), messagesPerUserPerMinute: 0 };
}

async function main(): Promise<void> {
  const levels = [...fit, ...heldOut].sort((a, b) => a - b);
  console.log(
    `bench:calibration: ${SCENARIO} / ${POLICY} / ${PROFILE}, fit on ${fit.join(', ')} users, held out ${heldOut.join(', ')}; ${cpus().length} cores, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const dir = reuse ? resolve(reuse) : await runLevels(levels);
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  const loaded = readRunRecords([dir], '--reuse');
  const byUsers = (users: number): CalibrationRun & { dir: string } => {
    const run = loaded.find((r) => r.record.users === users && r.record.scenario === SCENARIO);
    if (!run) throw new Error(`no ${SCENARIO} run with ${users} users in ${dir}`);
    return { record: run.record, series: run.series, dir: run.dir };
  };
  const cal = calibrate(fit.map(byUsers));
  for (const l of describeCalibration(cal)) console.log(l);
  let allPass = true;
  for (const users of heldOut) {
    const run = byUsers(users);
    const result = simulate({
      profile: scenarioProfile(),
      policies: [loadPolicy(POLICY)],
      users: [users],
      mode: 'analytic',
      calibration: cal,
    });
    const { lines, pass } = compare(run, result.predictions[0]!);
    allPass &&= pass;
    for (const l of lines) console.log(l);
  }
  console.log(`runs: ${dir}`);
  console.log(`overall: ${allPass ? 'PASS' : 'FAIL'} (every held-out figure within ${TOLERANCE * 100}%)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
