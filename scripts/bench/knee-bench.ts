// `npm run bench:knee`: is the model right where the verdict is decided? (issue 12, done-when)
//   For each case (full-sync under current: the database side; launch-mix under current: the 50
//   upstream sockets), on a scratch database of the machine's PostgreSQL (DATABASE_URL or
//   postgres://postgres@127.0.0.1:5432/postgres; created here, dropped at the end):
//   1. runs the fit levels (seeded once per level, vacuumed, checkpointed before each replicate, warm-up
//      left out: as bench:calibration does) and calibrates on them; each fit level runs once more
//      with every core kept from idling (`busy-` runs, never fit: the calibration reads from them each
//      process's CPU spent waking work onto an idle vCPU, simulator/idle-vcpu-wake.ts, and busy-core-cpu.ts
//      prints their CPU per iteration beside the plain replicates');
//   2. with --probe-replicates N (2 by default; 0: none), predicts the knee K₀ from the fit levels and runs
//      the knee probe there (`probe-` runs): their target's, k6's and (since session 35) the database's
//      CPU join those processes' CPU-at-load curves, and uncontended, the REST base latencies (statement
//      times and the database's linear share stay the fit runs'), since the CPU keeps falling per
//      request past the fit levels (session 21; never with
//      --knee or --db-cores; session 22's bench of it in docs/simulator.md); then it
//      predicts the knee K of the case's traffic on this machine (the rig: target, PostgreSQL and k6 on
//      its cores): the saturation knee, the largest users whose run the model says still carries its
//      offered load (no resource saturated, k6's VUs keeping up), and the bottleneck just past it; the
//      decision rule's knee (80 % headroom) is printed beside;
//   3. runs 0.6K, 0.8K, 0.9K, 1.1K and 1.3K the same way, predicts each as it was run (validate's
//      predictRun: its traffic, k6's VU bound) and prints measured vs predicted with PASS/FAIL against
//      the goals (knee-judge.ts): at 0.6-0.9K p95 within 25 % and throughput within 3 %; at 1.1K
//      saturation measured and the named bottleneck the busiest resource; below K it also prints, not as
//      the verdict, each level's p95 over its windows' second halves (settled-p95.ts: a check that the
//      window is settled; the warm-up and the window are one k6 run), and its p95 over the machine states
//      the fit replicates' CPU per iteration spans (simulator/machine-states.ts: the pooled mixture of
//      Normal(1, σ) slices, σ their pooled standard deviation).
// Flags (node:util parseArgs): --case full-sync|launch-mix|both  --fit-full-sync 2000,3500,5000
//   --fit-launch-mix 400,800,1200  --seconds 60  --warmup 30  --replicates 2 (held levels)  --max-replicates N (below K,
//   one more replicate at a time up to N, default max(4, --replicates), while some endpoint's pooled p95 is not
//   within ±25 % of itself by its own 90 % interval: the measurement alone, never the prediction)  --fit-replicates 3
//   --probe-replicates 2 (N: the knee probe's replicates at K₀; 0 turns it off)  --db-congestion κ (the rig's database
//   CPU per statement per busy connection past its cores, simulator/db-congestion.ts; 0 turns it off)  --knee N (use N as K instead
//   of the model's: plumbing checks only)  --reuse DIR (judge the runs of an earlier bench)
//   --db-cores F:H (another machine size, issue 12 item 6: the fit runs with the database server limited
//   to F cores, the knee levels to H; on a scratch database of the embedded PostgreSQL, the harness's own
//   server, which taskset may pin: never the machine's shared one. The calibration on F predicts K for H
//   (the model reads machine.dbCores), the levels are 0.6K, 0.87K, 1.15K and 1.3K, and the transfer
//   passes when 0.87K carries its load and 1.15K is saturated: the measured knee within 15 % of K, judged
//   by knee-judge.ts transferCheck; give it again with --reuse)  --embedded (the harness's own embedded
//   PostgreSQL, unpinned: the database's CPU is then this bench's alone)  --burst (npm run
//   bench:metastable: after K, the metastable load M below which a full pool drains, simulator/
//   metastable-load.ts; instead of the knee levels, two levels whose runs lock the synced tables for 3 s
//   at 40 % of the window, the pool-burst fault: 0.85 M, where the pool should drain back to calm, and
//   midway from M to K, where it should stay full; PASS when every replicate does: burst-judge.ts).
// Exit code: 0 when every goal passed, 1 when one failed (or the bench could not finish), 2 on bad input.
import { mkdirSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from 'simple-statistics';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import type { LoadedRun } from '../../core/run-record.ts';
import type { MetastableLoad, PoolRecovery, ValidationLevel } from '../../simulator/index.ts';
import {
  atKneeProbeSpeed,
  calibrate,
  formatValidation,
  hasPushPaths,
  interferenceStates,
  isMachineStateSpread,
  loadAdjustedProbeUs,
  machineContext,
  metastableLine,
  metastableLoad,
  predictLevelAtRunSpeeds,
  predictOverMachineStates,
  predictRun,
  rigReadsPerIteration,
  runContext,
  saturationKnee,
  scenarioKnee,
  stolenCoresOf,
  validateRuns,
} from '../../simulator/index.ts';
import { readRunRecords } from '../inputs/run-records.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { runScenario } from '../run/run-scenario.ts';
import { scratchDatabase, seedLevel, withAdmin } from './bench-database.ts';
import { parseBenchArgs, refusalOf, reuseFolder, wholeFlag } from './bench-flags.ts';
import { burstLevels, judgeBurstLevel } from './burst-judge.ts';
import { busyCoreLine } from './busy-core-cpu.ts';
import { dataSizeLine, runDataOf } from './data-size-line.ts';
import { dbCongestionLine } from './db-congestion-line.ts';
import {
  belowKneeChecks,
  type Check,
  failedIterationsPerSecond,
  KNEE_FRACTIONS,
  measuredSaturation,
  P95_TOLERANCE,
  pastKneeChecks,
  TRANSFER_ABOVE,
  TRANSFER_BELOW,
  TRANSFER_FRACTIONS,
  type TransferLevel,
  transferCheck,
} from './knee-judge.ts';
import { kneeProbeLine } from './knee-probe-line.ts';
import {
  calmAndEpisodeLine,
  calmAndEpisodeP95,
  episodeLine,
  machineLine,
  speedLine,
} from './machine-drift.ts';
import { type PooledP95, pooledP95, undecidedEndpoints } from './pooled-p95.ts';
import {
  fitCpuSd,
  fitCpuSpread,
  fixedPointLine,
  machineStateLine,
  sensitivityLine,
} from './prediction-sensitivity.ts';
import { pushPathsLine } from './push-paths-line.ts';
import { replicateSpreadLine, replicateSpreads } from './replicate-spread.ts';
import { runSpeedLine } from './run-speed-line.ts';
import { measuredWindows, settledP95 } from './settled-p95.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const POLICY = 'current';
const PROFILE = 'ci-smoke';
const CASES = ['full-sync', 'launch-mix'] as const;
type Case = (typeof CASES)[number];

/** Bad input: one line naming the flag and what is allowed, exit 2, before anything is run. */
const refuse = refusalOf('bench:knee');

const flags = parseBenchArgs(refuse, {
  case: { type: 'string', default: 'both' },
  'fit-full-sync': { type: 'string', default: '2000,3500,5000' },
  // Both cases fit up to about half their knee (full sync 4,500 of ~9,000; launch-mix 1,200 of
  // ~2,400): until 2026-12-02 launch-mix stopped at 900 (0.38 K), extrapolating its CPU lines
  // and base latencies from runs further below the levels they judge.
  'fit-launch-mix': { type: 'string', default: '400,800,1200' },
  seconds: { type: 'string', default: '60' },
  // 30 s, not 10: near the knee the host drains a start-up backlog slowly (at 0.8K on 2026-12-01
  // 20:58 the pool held all 10 connections with 13-37 requests waiting for the first 22 s of the
  // window after a 10 s warm-up of the same k6 run, then settled at p95s a fifth of those).
  warmup: { type: 'string', default: '30' },
  replicates: { type: 'string', default: '2' },
  // Below K, more replicates of a level (one at a time, up to this many) while some endpoint's pooled
  // p95 is not within ±25 % of itself by its own interval: on 2026-12-05 full sync's two replicates
  // at 0.6K measured 5.08 and 2.87 ms for messages, at 0.9K 23.0 and 10.8 for conversations.
  // Default: the larger of 4 and --replicates.
  'max-replicates': { type: 'string' },
  // Three at each fit level, so a replicate of a disturbed machine can be told from the usual one
  // and set aside by the calibration (simulator/disturbed-runs.ts).
  'fit-replicates': { type: 'string', default: '3' },
  // Replicates of the knee probe at the fit levels' K₀ (0: none, the fit levels alone). 2 by
  // default since session 28: the fit levels (up to half the knee) cannot see the target's and
  // k6's CPU per request falling past them (session 27: the host's CPU per sync 54.5 ms at the
  // fit levels, 38 at 1.3K, K a quarter low); session 22's bench of the probe put K 12 % high on a
  // rig that congested, before the congestion cost (db-congestion.ts) was in the model.
  'probe-replicates': { type: 'string', default: '2' },
  knee: { type: 'string' },
  reuse: { type: 'string' },
  'db-cores': { type: 'string' },
  'db-congestion': { type: 'string' },
  embedded: { type: 'boolean', default: false },
  // Instead of the knee levels, two levels with a burst that fills the pool (the pool-burst fault):
  // below the metastable load M, where the model says a full pool drains, and between M and K, where
  // it says it stays full (simulator/metastable-load.ts, burst-judge.ts). npm run bench:metastable.
  burst: { type: 'boolean', default: false },
});

function whole(name: string, value: string | undefined, min: number): number {
  return wholeFlag(refuse, name, value, min);
}
function levels(name: string, value: string): number[] {
  return value.split(',').map((s) => whole(name, s.trim(), 1));
}
const cases: Case[] =
  flags.case === 'both'
    ? [...CASES]
    : (CASES as readonly string[]).includes(flags.case!)
      ? [flags.case as Case]
      : refuse(`--case must be full-sync, launch-mix or both, got '${flags.case}'`);
const fitLevels: Record<Case, number[]> = {
  'full-sync': levels('fit-full-sync', flags['fit-full-sync']!),
  'launch-mix': levels('fit-launch-mix', flags['fit-launch-mix']!),
};
const seconds = whole('seconds', flags.seconds!, 1);
const warmup = whole('warmup', flags.warmup!, 0);
const replicates = whole('replicates', flags.replicates!, 1);
const maxReplicates =
  flags['max-replicates'] === undefined
    ? Math.max(4, replicates)
    : whole('max-replicates', flags['max-replicates'], replicates);
const fitReplicates = whole('fit-replicates', flags['fit-replicates']!, 1);
const probeReplicates = whole('probe-replicates', flags['probe-replicates']!, 0);
const kneeOverride = flags.knee === undefined ? null : whole('knee', flags.knee, 1);
// κ of simulator/db-congestion.ts (the database's CPU per statement per busy connection past its cores); default its constant.
const congestion = (() => {
  const v = flags['db-congestion'];
  if (v === undefined) return {};
  const k = Number(v);
  if (!/^\d*\.?\d+$/.test(v) || k > 0.5)
    refuse(`--db-congestion must be a share per busy connection from 0 to 0.5, got '${v}'`);
  return { dbCongestion: k };
})();
const reuse = reuseFolder(refuse, flags.reuse);
const dbCores = (() => {
  if (flags['db-cores'] === undefined) return null;
  const m = /^(\d+):(\d+)$/.exec(flags['db-cores']);
  const [fit, held] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || fit < 1 || held < 1 || fit > cpus().length || held > cpus().length)
    refuse(
      `--db-cores must be FIT:HELD, whole numbers from 1 to ${cpus().length} (this machine's cores), got '${flags['db-cores']}'`,
    );
  return { fit, held };
})();

/**
 * Runs replicate `r` of `scenario` at `users` on the level's seeded database (checkpointed first),
 * recorded under `dir`/`folder`-…-r`r`; `busy` cores kept from idling when given.
 */
async function runReplicate(
  databaseUrl: string,
  dir: string,
  folder: string,
  scenario: Case,
  users: number,
  cores: number | undefined,
  r: number,
  busy?: number,
  fault?: 'pool-burst',
) {
  await withAdmin(databaseUrl, (c) => c.query('checkpoint'));
  const { record } = await runScenario({
    scenario,
    users,
    policy: loadPolicy(POLICY),
    profile: loadProfile(PROFILE),
    durationSeconds: seconds,
    warmupSeconds: warmup,
    databaseUrl,
    dbCores: cores,
    busyCores: busy,
    ...(fault ? { fault } : {}),
    target: 'local',
    outDir: join(dir, `${folder}-${scenario}-${users}u-r${r}`),
    log: (line) => process.stderr.write(`  [${users}u r${r}] ${line}\n`),
  });
  process.stderr.write(
    `ran ${scenario} ${users}u r${r}: ${record.iterations.rate.toFixed(2)} iterations/s (asked ${record.iterations.targetRate.toFixed(2)}), ${record.iterations.dropped} dropped\n`,
  );
}

/**
 * Runs `scenario` at `users` (seeded, vacuumed, replicates checkpointed), records under `dir`/`tag`;
 * with `busyCores`, one more run with that many cores kept from idling, under `busy-` (never a fit run).
 */
async function runLevel(
  databaseUrl: string,
  dir: string,
  tag: string,
  scenario: Case,
  users: number,
  cores: number | undefined,
  count: number,
  busyCores?: number,
  fault?: 'pool-burst',
) {
  await seedLevel(databaseUrl, PROFILE, users);
  for (let r = 1; r <= count; r++)
    await runReplicate(databaseUrl, dir, tag, scenario, users, cores, r, undefined, fault);
  if (busyCores !== undefined)
    await runReplicate(databaseUrl, dir, 'busy', scenario, users, cores, 1, busyCores);
}

/**
 * A held level below K: its replicates, then one more at a time (on the same seeded database) while
 * some endpoint's pooled p95 is not within ±25 % of itself by its own interval, up to `most`. The rule
 * reads the measurement alone (pooled-p95.ts undecidedEndpoints), never the prediction.
 */
async function runHeldLevel(
  databaseUrl: string,
  dir: string,
  scenario: Case,
  users: number,
  cores: number | undefined,
  count: number,
  most: number,
) {
  await runLevel(databaseUrl, dir, 'held', scenario, users, cores, count);
  for (let n = count; n < most; n++) {
    const runs = runsOf(dir, `held-${scenario}-${users}u-`);
    const undecided = undecidedEndpoints(pooledP95(await measuredWindows(runs)), P95_TOLERANCE);
    if (undecided.length === 0) return;
    console.log(
      `  ${users} users: ${undecided.join(', ')}: the p95 over ${n} replicate(s) is not within ±25 % of itself by its own interval; replicate ${n + 1} (at most ${most})`,
    );
    await runReplicate(databaseUrl, dir, 'held', scenario, users, cores, n + 1);
  }
}

/** The runs under `dir` whose folder names start with `prefix`. */
function runsOf(dir: string, prefix: string): LoadedRun[] {
  const names = readdirSync(dir).filter((n) => n.startsWith(prefix));
  return names.length === 0
    ? []
    : readRunRecords(
        names.map((n) => join(dir, n)),
        '--reuse',
      );
}

/** The user counts of the held-out levels of `scenario` under `dir` (folders `held-<scenario>-<N>u-r<R>`). */
function heldLevels(dir: string, scenario: Case): number[] {
  const re = new RegExp(`^held-${scenario}-(\\d+)u-r\\d+$`);
  const users = readdirSync(dir).flatMap((n) => {
    const m = re.exec(n);
    return m ? [Number(m[1])] : [];
  });
  return [...new Set(users)].sort((a, b) => a - b);
}

/**
 * One level's replicates as one: the model's prediction, the medians of the measured figures, and each
 * endpoint's p95 over the replicates' pooled samples (pooled-p95.ts) where the raw output gave one.
 */
function merged(levels: ValidationLevel[], pooled: Record<string, PooledP95>): ValidationLevel {
  const first = levels[0]!;
  const med = (xs: (number | null | undefined)[]): number =>
    median(xs.filter((x): x is number => typeof x === 'number'));
  const keys = (pick: (l: ValidationLevel) => Record<string, unknown>) => [
    ...new Set(levels.flatMap((l) => Object.keys(pick(l)))),
  ];
  return {
    ...first,
    run: levels.map((l) => l.run).join(', '),
    measured: {
      throughput: med(levels.map((l) => l.measured.throughput)),
      droppedIterations: med(levels.map((l) => l.measured.droppedIterations)),
      iterationsInFlight: levels.some((l) => l.measured.iterationsInFlight !== null)
        ? med(levels.map((l) => l.measured.iterationsInFlight))
        : null,
      ...(levels.some((l) => l.measured.statementMsPerIteration !== undefined)
        ? { statementMsPerIteration: med(levels.map((l) => l.measured.statementMsPerIteration)) }
        : {}),
      p95Ms: Object.fromEntries(
        keys((l) => l.measured.p95Ms).map((e) => [
          e,
          pooled[e]?.p95 ?? med(levels.map((l) => l.measured.p95Ms[e])),
        ]),
      ),
      busy: Object.fromEntries(
        keys((l) => l.measured.busy).map((r) => [r, med(levels.map((l) => l.measured.busy[r]))]),
      ),
      // Each endpoint's shed share, the median over the replicates (a replicate that shed none: 0).
      ...(levels.some((l) => l.measured.shedShare)
        ? {
            shedShare: Object.fromEntries(
              keys((l) => l.measured.shedShare ?? {}).map((e) => [
                e,
                med(levels.map((l) => l.measured.shedShare?.[e] ?? 0)),
              ]),
            ),
          }
        : {}),
      // The event loop's figures, each the median over the replicates that recorded its thread.
      ...(levels.some((l) => l.measured.loop)
        ? {
            loop: {
              wallShare: med(levels.map((l) => l.measured.loop?.wallShare)),
              cpuCores: med(levels.map((l) => l.measured.loop?.cpuCores)),
              stretch: med(levels.map((l) => l.measured.loop?.stretch)),
              ...Object.fromEntries(
                (['waitP99Ms', 'preemptionsPerSecond', 'preemptionMs'] as const)
                  .filter((k) => levels.some((l) => l.measured.loop?.[k] !== undefined))
                  .map((k) => [k, med(levels.map((l) => l.measured.loop?.[k]))]),
              ),
            },
          }
        : {}),
    },
  };
}

/**
 * The burst levels (burst-judge.ts): each replicate's pool after a burst that filled it, against what
 * the metastable load `m` says it does there (drains or stays full).
 */
async function benchBursts(
  databaseUrl: string | null,
  dir: string,
  scenario: Case,
  m: MetastableLoad,
): Promise<boolean> {
  const plan = burstLevels(m);
  if (databaseUrl)
    for (const { users } of plan)
      await runLevel(
        databaseUrl,
        dir,
        'burst',
        scenario,
        users,
        undefined,
        replicates,
        undefined,
        'pool-burst',
      );
  let pass = true;
  for (const level of plan) {
    const runs = runsOf(dir, `burst-${scenario}-${level.users}u-`);
    if (runs.length === 0) throw new Error(`no ${scenario} burst run at ${level.users} users in ${dir}`);
    const verdict = judgeBurstLevel(
      level,
      // Each run's record holds its pool's recovery (scripts/run/fault-outcome.ts, pool-recovery.ts).
      runs.map((r) => ({
        run: r.dir.split('/').pop()!,
        recovery:
          (r.record.faults?.['pool-burst'] as { poolRecovery?: PoolRecovery | null } | undefined)
            ?.poolRecovery ?? null,
      })),
    );
    console.log(`\n${verdict.lines.join('\n')}`);
    pass = verdict.pass && pass;
  }
  return pass;
}

async function benchCase(scenario: Case, dir: string, databaseUrl: string | null): Promise<boolean> {
  const fit = fitLevels[scenario];
  if (databaseUrl)
    for (const u of fit)
      await runLevel(
        databaseUrl,
        dir,
        'fit',
        scenario,
        u,
        dbCores?.fit,
        fitReplicates,
        // Each fit level once more with every core kept from idling (simulator/idle-vcpu-wake.ts).
        !dbCores ? cpus().length : undefined,
      );
  const fitRuns = runsOf(dir, `fit-${scenario}-`);
  if (fitRuns.length === 0) throw new Error(`no fit runs of ${scenario} in ${dir}`);
  // The busy-core run is never fitted: the calibration reads from it the CPU its processes spend
  // waking work onto an idle vCPU (simulator/idle-vcpu-wake.ts).
  const busyRuns = runsOf(dir, `busy-${scenario}-`);
  const fitCal = calibrate(
    [...fitRuns, ...busyRuns].map((r) => ({ record: r.record, series: r.series })),
    congestion,
  );
  for (const note of fitCal.notes.filter(
    (n) =>
      n.startsWith('set aside ') ||
      n.startsWith('idle-vCPU') ||
      n.startsWith('not read for the idle-vCPU') ||
      n.startsWith("event loop's thread"),
  ))
    console.log(note);
  // Each fit level's CPU per iteration with no core idling, beside its plain replicates.
  for (const at of [...new Set(busyRuns.map((r) => r.record.users))].sort((a, b) => a - b))
    console.log(
      busyCoreLine(
        at,
        fitRuns.filter((r) => r.record.users === at).map((r) => r.record),
        busyRuns.filter((r) => r.record.users === at).map((r) => r.record),
      ),
    );
  // How precisely the fit knows this machine's CPU per request (prediction-sensitivity.ts).
  const cpuSpread = fitCpuSpread(fitRuns.map((r) => r.record));
  const machineSd = fitCpuSd(fitRuns.map((r) => r.record));
  if (cpuSpread !== null && machineSd !== null)
    console.log(
      `the fit replicates' CPU per iteration (host less stolen) differs by ±${(cpuSpread * 100).toFixed(1)} % within a level (median over the fit levels; standard deviation ${(machineSd * 100).toFixed(1)} %, pooled)`,
    );
  const policy = loadPolicy(POLICY);
  const profile = loadProfile(PROFILE);
  // With --db-cores the knee is predicted for the knee levels' database cores (H), not the fit runs' (F):
  // the transfer to another machine size.
  const contextOf = (c: typeof fitCal) => {
    const fitCtx = machineContext(c, fitRuns[0]!.record);
    return dbCores && fitCtx.placement?.kind === 'rig'
      ? { ...fitCtx, placement: { ...fitCtx.placement, dbCores: dbCores.held } }
      : fitCtx;
  };
  // K is where the run as it is run stops carrying its load (the saturation knee); the decision
  // rule's knee (80 % headroom, budgets) is printed beside it, not used.
  const fitModel = saturationKnee(scenario, profile, policy, contextOf(fitCal));
  // The knee probe: replicates at the fit levels' K₀, whose target's, k6's and database's CPU join their curves
  // (simulator/calibrate.ts kneeProbe), so the knee reads them between measured loads instead of
  // carrying the fit levels' past them. Never with --knee (plumbing) or --db-cores (the transfer is
  // judged on a calibration of the other machine size alone).
  const probing = kneeOverride === null && !dbCores && probeReplicates > 0 && fitModel.users !== null;
  if (probing && databaseUrl)
    await runLevel(databaseUrl, dir, 'probe', scenario, fitModel.users!, undefined, probeReplicates);
  const probeRuns = probing ? runsOf(dir, `probe-${scenario}-`) : [];
  const cal =
    probeRuns.length === 0
      ? fitCal
      : calibrate(
          [
            ...[...fitRuns, ...busyRuns].map((r) => ({ record: r.record, series: r.series })),
            ...probeRuns.map((r) => ({ record: r.record, series: r.series, kneeProbe: true })),
          ],
          congestion,
        );
  // What the probes added: a probe set aside (stolen time) or all of them (a disturbed machine).
  for (const note of cal.notes.filter((n) => n.startsWith('set aside ') && !fitCal.notes.includes(n)))
    console.log(note);
  // With probes the knee is read at their machine speed (their CPU joined the curves taken back to
  // the fit runs' speed: simulator/machine-speed.ts atKneeProbeSpeed).
  const kneeCal = atKneeProbeSpeed(cal);
  const ctx = contextOf(kneeCal);
  const model = probeRuns.length === 0 ? fitModel : saturationKnee(scenario, profile, policy, ctx);
  if (probing)
    console.log(
      kneeProbeLine(
        probeRuns.map((r) => r.record),
        fitCal,
        kneeCal,
        fitModel.users,
        model.users,
      ),
    );
  const rule = scenarioKnee(scenario, profile, policy, fit[0]!, ctx);
  const k = kneeOverride ?? model.users;
  console.log(
    `${scenario} / ${POLICY} / ${PROFILE}: fit on ${fit.join(', ')} users${dbCores ? ` with the database on ${dbCores.fit} core(s)` : ''}; model saturation knee K${dbCores ? ` with it on ${dbCores.held}` : ''} = ${model.users ?? 'none'} users, bottleneck ${model.bottleneck ?? 'none'} (${(model.utilisation * 100).toFixed(0)}% just past it; ${model.limitedBy}); decision rule's knee ${rule.users ?? 'none'} users (${rule.bottleneck ?? 'none'}; ${rule.limitedBy})${kneeOverride ? `; K set to ${kneeOverride} by --knee (plumbing only, not a verdict)` : ''}`,
  );
  if (k === null) return false;
  // Beside the verdict, never part of it: from which load a full pool stays full (metastable-load.ts).
  const metastable =
    model.users === null ? null : metastableLoad(scenario, profile, policy, ctx, model.users);
  if (metastable) console.log(metastableLine(metastable));
  if (flags.burst) {
    if (!metastable || kneeOverride !== null) return false;
    return benchBursts(databaseUrl, dir, scenario, metastable);
  }
  const fractions: readonly number[] = dbCores ? TRANSFER_FRACTIONS : KNEE_FRACTIONS;
  const planned = fractions.map((f) => ({ f, users: Math.max(1, Math.round(f * k)) }));
  // Re-judging earlier runs under a model whose K moved: each held level at its own fraction of K.
  const held = reuse ? heldLevels(dir, scenario) : [];
  const exact = planned.every(({ users }) => held.includes(users));
  const at = !reuse || exact ? planned : held.map((users) => ({ f: users / k, users }));
  if (!exact && reuse)
    console.log(
      `note: the runs in ${dir} are not at this K's levels; each is judged at its own fraction of K (a re-judgement, not a verdict)`,
    );
  // Below K the goal is a p95 within 25 %: a level whose measurement alone cannot decide that gets
  // more replicates (--max-replicates); at and past K the checks read throughput and busy shares.
  if (databaseUrl)
    for (const { f, users } of at)
      if (f < 1)
        await runHeldLevel(databaseUrl, dir, scenario, users, dbCores?.held, replicates, maxReplicates);
      else await runLevel(databaseUrl, dir, 'held', scenario, users, dbCores?.held, replicates);
  let pass = true;
  // Levels whose machine moved from the fit's (machine-drift.ts).
  const drifted: string[] = [];
  // Measured saturation of the two levels that bracket the knee for the transfer (--db-cores).
  const bracket = new Map<number, TransferLevel>();
  for (const { f, users } of at) {
    const runs = runsOf(dir, `held-${scenario}-${users}u-`);
    if (runs.length === 0) throw new Error(`no ${scenario} run at ${users} users in ${dir}`);
    const heldOut = runs.map((r) => ({
      name: r.dir.split('/').pop()!,
      record: r.record,
      series: r.series,
      profile: { ...profile },
      policy,
    }));
    const report = validateRuns(cal, heldOut);
    const windows = await measuredWindows(runs);
    // The level's p95 of each endpoint over its replicates' pooled samples, with its interval.
    const pooled = pooledP95(windows);
    const level = merged(report.levels, pooled);
    console.log(`\n${Number(f.toFixed(3))}K = ${users} users`);
    // The level's lines only: the knee lines above the first blank line were printed once already.
    const lines = formatValidation({
      ...report,
      knee: { users: k, bottleneck: model.bottleneck, limitedBy: model.limitedBy },
      levels: [level],
    }).split('\n');
    process.stdout.write(lines.slice(lines.indexOf('') + 1).join('\n'));
    const { cores, dbCores: dbc } = runs[0]!.record.machine;
    const servers = {
      'db.pool': policy.database.poolSize,
      'upstream.sockets': policy.upstream.maxSockets,
      'host.cpu': cores,
      'app.loop': 1,
      // The database server's cores when the runs limited them to fewer than the host's.
      ...(dbc !== undefined && dbc < cores ? { 'db.cpu': dbc } : {}),
    };
    const offered = median(runs.map((r) => r.record.iterations.targetRate));
    const failed = median(runs.map((r) => failedIterationsPerSecond(r.record)));
    bracket.set(f, {
      users,
      saturated: measuredSaturation(level, offered, model.bottleneck, servers, failed).saturated,
    });
    // Beside the verdict (never it): the p95 over each window's second half (settled-p95.ts).
    if (f < 1) {
      const settled = runs.map((r, i) => settledP95(windows[i]!, r.record.durationSeconds / 2));
      const line = Object.keys(level.measured.p95Ms)
        .filter((e) => e !== 'healthz')
        .sort()
        .map((e) => {
          const m = median(settled.map((x) => x[e]).filter((x): x is number => x !== undefined));
          const p = level.predicted.p95Ms[e];
          return `${e} ${m.toFixed(2)}${typeof p === 'number' ? ` (${p >= m ? '+' : ''}${(((p - m) / m) * 100).toFixed(1)}%)` : ''}`;
        })
        .join(', ');
      console.log(`  p95 over each window's second half (is it settled? not the verdict): ${line}`);
    }
    // Beside the verdict (never it): the level's machine against the fit's (machine-drift.ts).
    const machine = machineLine(
      runs.map((r) => stolenCoresOf(r.record)),
      cal.cpu?.stolenCores ?? null,
    );
    console.log(machine.line);
    console.log(
      speedLine(
        runs.map((r) => ({
          probe: r.record.cpu?.syscallProbe?.usPerCall ?? null,
          idle: loadAdjustedProbeUs(r.record),
        })),
        cal.cpu?.syscallProbeUs ?? null,
      ),
    );
    // Beside the verdict (never it): the level's data against the fit's (data-size-line.ts).
    console.log(
      dataSizeLine(
        runs.map((r) => runDataOf(r.record)),
        fitRuns.map((r) => runDataOf(r.record)),
        runs[0]!.record.database
          ? rigReadsPerIteration(
              profile,
              policy,
              users,
              runs[0]!.record.database.sharedBuffersBytes,
              runs[0]!.record.arrivalRates,
            )
          : null,
      ),
    );
    console.log(
      pushPathsLine(
        runs.map((r) => r.record),
        hasPushPaths(cal) ? profile.changeSharePer30s : null,
      ),
    );
    console.log(episodeLine(runs.map((r) => interferenceStates(r.series))));
    console.log(dbCongestionLine(runs, cal.cpu?.dbCongestion?.perBusyConnection ?? 0));
    console.log(
      calmAndEpisodeLine(
        calmAndEpisodeP95(
          windows,
          runs.map((r) => r.series),
        ),
        level.predicted.p95Ms,
      ),
    );
    if (f < 1) {
      // Beside the verdict (never it): how far the replicates lie from each other, and how far the
      // prediction moves with the fit's own spread of CPU per request.
      console.log(replicateSpreadLine(replicateSpreads(windows)));
      console.log(
        runSpeedLine(
          predictLevelAtRunSpeeds(cal, heldOut),
          level.measured.p95Ms,
          'each replicate at its own host CPU per iteration, pooled (--speed run-cpu; not the verdict)',
        ),
      );
      const first = runs[0]!.record;
      const ctx0 = runContext(cal, first);
      const run = (scale: number, population: boolean) =>
        predictRun(
          {
            scenario,
            users: Math.round(users * scale),
            profile,
            policy,
            durationSeconds: first.durationSeconds,
          },
          ctx0,
          undefined,
          population,
        );
      const fixedPoint = run(1, false);
      console.log(
        fixedPointLine(
          fixedPoint.p95Ms,
          fixedPoint.streams.reduce((sum, o) => sum + o.busyVUs, 0),
          level.measured.p95Ms,
          level.measured.iterationsInFlight,
        ),
      );
      if (cpuSpread !== null) {
        const at = (scale: number) => run(scale, true).p95Ms;
        console.log(
          sensitivityLine(
            cpuSpread,
            at(1 - cpuSpread),
            level.predicted.p95Ms,
            at(1 + cpuSpread),
            level.measured.p95Ms,
          ),
        );
      }
      // A spread wide enough to put a state's durations at or below zero is no machine state: not printed.
      if (machineSd !== null && isMachineStateSpread(machineSd)) {
        const over = predictOverMachineStates(ctx0, machineSd, (c) =>
          predictRun({ scenario, users, profile, policy, durationSeconds: first.durationSeconds }, c),
        );
        console.log(machineStateLine(machineSd, over.p95Ms, over.states, level.measured.p95Ms));
      }
    }
    if (machine.drifted) drifted.push(`${Number(f.toFixed(3))}K`);
    const checks: Check[] =
      f < 1
        ? belowKneeChecks(level, pooled)
        : f < 1.2
          ? pastKneeChecks(level, offered, model.bottleneck, servers, failed)
          : [];
    for (const c of checks) console.log(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.what}`);
    pass &&= checks.every((c) => c.pass);
  }
  if (dbCores) {
    // The transfer (issue 12 item 6): the knee predicted for H cores from a calibration on F, measured.
    const below = bracket.get(TRANSFER_BELOW);
    const above = bracket.get(TRANSFER_ABOVE);
    const what = `transfer (calibrated with the database on ${dbCores.fit} core(s), knee predicted and measured on ${dbCores.held})`;
    if (below && above) {
      const c = transferCheck(k, below, above, what);
      console.log(`\n${c.pass ? 'PASS' : 'FAIL'}  ${c.what}`);
      pass &&= c.pass;
    } else {
      console.log(`\nnot judged: ${what}: no runs at ${TRANSFER_BELOW}K and ${TRANSFER_ABOVE}K of this K`);
      pass = false;
    }
  }
  if (drifted.length > 0)
    console.log(
      `\nthe machine moved between the fit and ${drifted.join(', ')} (stolen time, above): those levels' p95s read another machine than the model was fitted on`,
    );
  console.log(`${scenario}: ${pass ? 'PASS' : 'FAIL'}\n`);
  return pass;
}

async function main(): Promise<boolean> {
  console.log(
    `bench:knee: ${cases.join(', ')}; ${reuse ? `the runs in ${reuse}` : `${fitReplicates} replicate(s) at each fit level, ${replicates} at each knee level (up to ${maxReplicates} below K while a p95 is undecided), of ${seconds} s after ${warmup} s of warm-up`}; ${cpus().length} cores, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const dir =
    reuse ?? join(ROOT, 'reports', 'runs', `knee-bench-${new Date().toISOString().replace(/[-:.]/g, '')}`);
  mkdirSync(dir, { recursive: true });
  let all = true;
  // --db-cores pins the database server, so it must be the harness's own (embedded), never the shared one.
  // --embedded: the harness's own server, so the database's CPU is this bench's alone (the machine's
  // shared server also serves other sessions' tests, whose queries its CPU would count).
  const embedded =
    (dbCores || flags.embedded) && !reuse
      ? await startEmbeddedPostgres((l) => process.stderr.write(`${l}\n`))
      : null;
  const adminUrl = embedded
    ? embedded.url.replace(/\/[^/]*$/, '/postgres')
    : (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  if (embedded && !dbCores)
    console.log(`database server: embedded (${embedded.url.replace(/\/\/[^@]*@/, '//')}), unpinned`);
  if (dbCores) {
    console.log(
      `database server: embedded, ${dbCores.fit} core(s) for the fit runs, ${dbCores.held} for the knee levels; K is predicted for ${dbCores.held} from the calibration on ${dbCores.fit} (the model reads machine.dbCores), levels ${TRANSFER_FRACTIONS.join(', ')} K`,
    );
  }
  for (const scenario of cases) {
    const db = reuse ? null : await scratchDatabase(adminUrl, 'atlas_kneebench');
    try {
      all = (await benchCase(scenario, dir, db?.url ?? null)) && all;
    } finally {
      await db?.done();
    }
  }
  await embedded?.stop();
  console.log(`runs: ${dir}`);
  console.log(`overall: ${all ? 'PASS' : 'FAIL'}`);
  return all;
}

// A caller can gate on the verdict: 1 when any goal failed (2 is bad input, as everywhere). Exited
// explicitly: embedded-postgres's exit hook calls process.exit(0) on beforeExit (as in scripts/cli.ts).
main().then(
  (all) => process.exit(all ? 0 : 1),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
