// `npm run bench:calibration`: does the calibrated simulator predict load levels it was not fitted on?
// (issue 5, done-when: "within 15% of the measured throughput and p95 below the knee").
//   1. On a scratch database of the machine's PostgreSQL (DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres;
//      created here, dropped at the end), runs full-sync under `current` on the local target at several user
//      counts, each level seeded once (vacuumed), then run --replicates times (checkpointed before each run;
//      runScenario: target, k6), 60 s each (~21 min in all at 3 replicates).
//   2. Places the CPU where the runs had it (the rig: target, PostgreSQL and k6 share the machine's
//      cores, as measured; the database's cores alone only for runs without CPU measurements), has a
//      request wait for the rig's cores as in chains (syncs on k6's schedule, rig-chains.ts) when the
//      runs recorded their iterations, and chooses the base latency's shape (fading with load, or flat; base-latency.ts) by leave-one-level-
//      out cross-validation on the fit levels only.
//   3. Calibrates the simulator on all fit runs, predicts the held-out levels with simulate() under the
//      chosen model, and prints per held-out level the measured (median of the replicates) and
//      predicted throughput and p95 per endpoint, the relative errors and PASS/FAIL against 15%, each
//      replicate's p95, the host CPU measured and predicted, the DES's p95 and the other models beside;
//      last, per level, the measured p95s and the database's size beside shared_buffers and its buffer hit
//      ratio (the data grows with the users, as the load does).
// The p95 of one 60 s run at ~3 ms varies between replicates by more than 15% on a shared 2-core box:
// the median of replicates is the measurement a 15% comparison can be judged against.
// Flags: --fit 1500,3000,4500  --held-out 2250,6000,7500  --seconds 60  --warmup 10 (seconds of the same load
// before each run, left out)  --replicates 3  --max-steal 0.05 (cores
// stolen by the hypervisor above which a replicate is left out)  --reuse DIR (read the
// runs of an earlier bench in DIR instead of running; the runs of a fresh bench are kept under
// reports/runs/calibration-bench-*).
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from 'simple-statistics';
import { z } from 'zod';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import type { CalibrationRun } from '../../simulator/index.ts';
import { calibrate, otherCoresOf, simulate, stolenCoresOf } from '../../simulator/index.ts';
import { parseFlags, userCounts, wholeNumber } from '../commands/flags/index.ts';
import { readRunRecords } from '../inputs/run-records.ts';
import { MAX_DURATION_S, readRunEnvironment, runScenario } from '../run/run-scenario.ts';
import { seedDatabase } from '../seed/index.ts';
import { withAdmin } from './bench-database.ts';
import { parseBenchArgs, refusalOf, reuseFolder } from './bench-flags.ts';
import type { Level } from './calibration-compare.ts';
import {
  compare,
  databaseActivity,
  describeCalibration,
  ENDPOINTS,
  levelP95,
  pct,
  rel,
  TOLERANCE,
} from './calibration-compare.ts';
import type { Model, Placement } from './calibration-models.ts';
import {
  calibrateFor,
  crossValidate,
  HOST_WAITS,
  inputFor,
  modelName,
  POLICY,
  PROFILE,
  predictedP95,
  SHAPES,
} from './calibration-models.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const SCENARIO = 'full-sync';

/** Bad input: one line naming the flag and what is allowed, exit 2, before anything is run or written. */
const refuse = refusalOf('bench:calibration');

/** The bench's flags (node:util parseArgs; values checked with the CLI's flag rules, scripts/commands/flags). */
const BENCH_FLAGS = z.object({
  fit: userCounts,
  heldOut: userCounts,
  seconds: wholeNumber(1, MAX_DURATION_S),
  /**
   * Seconds of the same load before each measured run, left out (runScenario's warmupSeconds): the
   * model predicts a steady state, and a fresh target's first seconds are not one (session 4: at 7,500
   * users the first 2-4 s had p95s of 10-29 ms, enough to move the run's p95). Fixed before the runs it
   * first applied to; 0 measures as earlier sessions did.
   */
  warmup: wholeNumber(0, MAX_DURATION_S),
  reuse: z.string().optional(),
  /**
   * Replicates whose host had more than this many cores stolen by the hypervisor (cpu.host.stealSeconds
   * over the run) are left out of the fit and of the measured medians: the load of other guests is not
   * the system under test, and no model input can know it. Fixed before the runs it first applied to
   * (session 3); records without steal (older runs) are all kept.
   */
  maxSteal: z.string().transform((text, ctx) => {
    const n = Number(text);
    if (text.trim() === '' || !(n >= 0)) {
      ctx.addIssue({ code: 'custom', message: `must be a number of cores >= 0, got '${text}'` });
      return z.NEVER;
    }
    return n;
  }),
  replicates: wholeNumber(1),
});

function benchFlags(): z.output<typeof BENCH_FLAGS> {
  const values = parseBenchArgs(refuse, {
    fit: { type: 'string', default: '1500,3000,4500' },
    'held-out': { type: 'string', default: '2250,6000,7500' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '10' },
    reuse: { type: 'string' },
    'max-steal': { type: 'string', default: '0.05' },
    replicates: { type: 'string', default: '3' },
  });
  try {
    return parseFlags(BENCH_FLAGS, values);
  } catch (error) {
    return refuse((error as Error).message);
  }
}

const { fit, heldOut, seconds, warmup, maxSteal, replicates, ...rest } = benchFlags();
const reuse = reuseFolder(refuse, rest.reuse);

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
        // As of now, as runScenario seeds (its runs ask what changed in the last seconds), so it keeps it.
        asOf: new Date(),
        databaseUrl: url.toString(),
        schema: 'plain',
        reset: true,
        progress: 'none',
        log: (line) => process.stderr.write(`  [${users}u] ${line}\n`),
      });
      await withAdmin(url.toString(), (c) => c.query('vacuum (analyze)'));
      for (let r = 1; r <= replicates; r++) {
        // No checkpoint inside the measured seconds: the previous replicate's pushes are written now.
        await withAdmin(url.toString(), (c) => c.query('checkpoint'));
        const { record } = await runScenario({
          scenario: SCENARIO,
          users,
          policy: loadPolicy(POLICY),
          profile: loadProfile(PROFILE),
          durationSeconds: seconds,
          warmupSeconds: warmup,
          databaseUrl: url.toString(),
          target: 'local',
          environment: readRunEnvironment(process.env),
          outDir: join(dir, `${SCENARIO}-${users}u-${POLICY}-r${r}`),
          log: (line) => process.stderr.write(`  [${users}u r${r}] ${line}\n`),
        });
        process.stderr.write(
          `ran ${SCENARIO} ${users}u r${r}: ${record.iterations.rate.toFixed(2)} syncs/s (asked ${record.iterations.targetRate.toFixed(2)}) in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
        );
      }
    }
  } finally {
    await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
  }
  return dir;
}

async function main(): Promise<void> {
  const levels = [...fit, ...heldOut].sort((a, b) => a - b);
  console.log(
    `bench:calibration: ${SCENARIO} / ${POLICY} / ${PROFILE}, fit on ${fit.join(', ')} users, held out ${heldOut.join(', ')}, ${reuse ? `the runs in ${reuse}` : `${replicates} replicate(s) per level of ${seconds} s after ${warmup} s of warm-up`}; ${cpus().length} cores, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const dir = reuse ?? (await runLevels(levels));
  const loaded = readRunRecords([dir], '--reuse');
  const byLevel = new Map<number, Level>();
  for (const users of levels) {
    const runs = loaded
      .filter((r) => r.record.users === users && r.record.scenario === SCENARIO)
      .map((r) => ({ record: r.record, series: r.series, dir: r.dir }));
    if (runs.length === 0) throw new Error(`no ${SCENARIO} run with ${users} users in ${dir}`);
    const stolen = (r: CalibrationRun) => stolenCoresOf(r.record);
    const kept = runs.filter((r) => !((stolen(r) ?? 0) > maxSteal));
    if (kept.length < runs.length)
      console.log(
        `${users} users: left out for stolen time above ${maxSteal} cores: ${runs
          .filter((r) => !kept.includes(r))
          .map((r) => `${r.record.id} (${stolen(r)!.toFixed(2)})`)
          .join(', ')}`,
      );
    if (kept.length === 0)
      throw new Error(`every ${users}-user run had more than ${maxSteal} cores stolen: nothing to measure`);
    byLevel.set(users, kept);
  }
  const fitRuns = fit.flatMap((u) => byLevel.get(u)!);
  // Where the CPU runs is what was measured: with CPU measurements, the rig (target, PostgreSQL and k6
  // on the host's cores); without, the database's cores alone. The base latency's shape is chosen on
  // the fit levels alone (the held-out runs play no part in it). Session 4: choosing the placement by
  // cross-validation too picked, on three noisy fit levels, the one the runs did not have (C4: database
  // cores only, 3 of 9; the rig 9 of 9 on the same runs, seen, so the change is judged on fresh ones).
  // On the rig, a request waits for the host's cores as in chains (syncs on k6's schedule), fixed in
  // session 5 before the runs that judge it; the M/M/c processor-sharing wait is printed beside.
  const placement: Placement = calibrate(fitRuns).cpu ? 'rig' : 'database cores only';
  const candidates: Model[] = [
    ...SHAPES.flatMap((shape) =>
      HOST_WAITS.map((hostWait) => ({ placement: 'rig' as const, shape, hostWait })),
    ),
    ...SHAPES.map((shape) => ({
      placement: 'database cores only' as const,
      shape,
      hostWait: 'chains' as const,
    })),
  ];
  const scores = candidates
    .filter((m) => m.placement === placement && (placement !== 'rig' || m.hostWait === 'chains'))
    .map((model) => ({ model, error: crossValidate(byLevel, model, fit) }));
  const chosen = scores.reduce((a, b) => (b.error < a.error ? b : a)).model;
  console.log(
    `base shape by leave-one-level-out cross-validation on the fit levels (mean |p95 error|), ${placement}: ${scores.map((x) => `${modelName(x.model)} ${(x.error * 100).toFixed(1)}%`).join(', ')}; chosen: ${modelName(chosen)}`,
  );
  const cal = calibrateFor(fitRuns, chosen);
  for (const l of describeCalibration(cal)) console.log(l);
  const others = candidates.filter((m) => m !== chosen);
  const input = inputFor(cal, chosen.placement);
  const knee = simulate({ ...input, users: [heldOut[0]!] }).knees[0]!;
  console.log(
    `model knee (largest N meeting the budgets, ${modelName(chosen)}): ${knee.users ?? 'none'} users${knee.unbounded ? ' (not found below the search limit)' : `, limited by ${knee.limitedBy}`}`,
  );
  let allPass = true;
  for (const users of heldOut) {
    const level = byLevel.get(users)!;
    const result = simulate({ ...input, users: [users], mode: 'analytic' });
    const des = simulate({
      ...input,
      users: [users],
      mode: 'des',
      seed: 1,
      des: { durationSeconds: 300, warmupSeconds: 30 },
    });
    const { lines, pass } = compare(level, result.predictions[0]!, des.predictions[0]!);
    const below = knee.users === null ? false : users <= knee.users;
    lines.splice(1, 0, `  ${below ? 'below' : 'ABOVE'} the model's knee (${knee.users ?? 'none'} users)`);
    // Not the verdict: the rig model told each replicate's measured other load (processes or stolen
    // time the runs could not control), the median of those predictions against the measured median.
    if (chosen.placement === 'rig' && cal.cpu && level.every((r) => otherCoresOf(r.record) !== null)) {
      const per = level.map((r) => {
        const q = simulate({
          ...input,
          rig: {
            cores: cal.cpu!.rigCores,
            otherCores: Math.max(0, otherCoresOf(r.record)! - (stolenCoresOf(r.record) ?? 0)),
            stolenCores: stolenCoresOf(r.record) ?? 0,
          },
          users: [users],
        }).predictions[0]!;
        return new Map(q.endpoints.map((e) => [e.endpoint, e.p95Ms]));
      });
      lines.push(
        `  given each replicate's measured other load (not the verdict), p95 would be: ${ENDPOINTS.map(
          (e) => {
            const xs = per.map((m) => m.get(e)).filter((x): x is number => typeof x === 'number');
            const x = xs.length === per.length ? median(xs) : null;
            return `${e} ${(x ?? Number.NaN).toFixed(2)} (${pct(rel(x, levelP95(level, e)))})`;
          },
        ).join(', ')}`,
      );
    }
    // Not the verdict: the other candidate models, for comparison.
    for (const other of others) {
      const q = predictedP95(calibrateFor(fitRuns, other), other.placement, users);
      lines.push(
        `  under ${modelName(other)}, p95 would be: ${ENDPOINTS.map((e) => {
          const m = levelP95(level, e);
          const x = q.get(e) ?? null;
          return `${e} ${(x ?? Number.NaN).toFixed(2)} (${pct(rel(x, m))})`;
        }).join(', ')}`,
      );
    }
    allPass &&= pass;
    for (const l of lines) console.log(l);
  }
  // What the runs allow: p95 per endpoint at every level, and whether any prediction that does not fall
  // as load grows could be within the tolerance at every held-out level (p in [0.85 m, 1.15 m] at each,
  // non-decreasing in users: possible iff 0.85 m_i <= 1.15 m_j for every lower level i and higher j).
  const held = [...heldOut].sort((a, b) => a - b);
  for (const endpoint of ENDPOINTS) {
    const at = (u: number): number => levelP95(byLevel.get(u)!, endpoint);
    let blocked: string | null = null;
    for (let i = 0; i < held.length && !blocked; i++)
      for (let j = i + 1; j < held.length && !blocked; j++)
        if ((1 - TOLERANCE) * at(held[i]!) > (1 + TOLERANCE) * at(held[j]!))
          blocked = `${held[i]} needs >= ${((1 - TOLERANCE) * at(held[i]!)).toFixed(2)}, ${held[j]} needs <= ${((1 + TOLERANCE) * at(held[j]!)).toFixed(2)}`;
    console.log(
      `measured p95 ${endpoint} by users (median of replicates): ${levels.map((u) => `${u}${fit.includes(u) ? '*' : ''} ${at(u).toFixed(2)}`).join(', ')} (* fit); a prediction not falling with load can be within ${TOLERANCE * 100}% at every held-out level: ${blocked ? `no (${blocked})` : 'yes'}`,
    );
  }
  // The data grows with the users as the load does: how much of it the buffers held, level by level.
  for (const users of levels) {
    const activity = databaseActivity(byLevel.get(users)!);
    if (activity) console.log(`database at ${users}${fit.includes(users) ? '*' : ''} users: ${activity}`);
  }
  console.log(`runs: ${dir}`);
  console.log(`overall: ${allPass ? 'PASS' : 'FAIL'} (every held-out figure within ${TOLERANCE * 100}%)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
