import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadPolicy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import { redact } from '../../core/redact.ts';
import type { LoadedRun } from '../../core/run-record.ts';
import type { LiveStatus } from '../../reports/index.ts';
import { calibrate, contextFor, type Prediction, predictAnalytic } from '../../simulator/index.ts';
import { loadRun } from '../inputs/run-records.ts';
import { installK6 } from '../k6/install.ts';
import { compactTime } from '../lib/compact-time.ts';
import { resolveDatabase } from '../lib/database.ts';
import type { LiveSnapshot } from '../run/live-line.ts';
import { type RunEnvironment, runScenario } from '../run/run-scenario.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Users of the live calibration runs (the launch report's "~1,000 concurrent users"). */
export const LIVE_USERS = 1000;

/**
 * What the live calibration runs: each sync mode under the policy that uses it, and the launch mix
 * (syncs, /api/message, /healthz) under the fixes, so messages and health checks are measured too.
 */
export const LIVE_RUNS = [
  { scenario: 'delta-sync', policy: 'fixed' },
  { scenario: 'full-sync', policy: 'current' },
  { scenario: 'launch-mix', policy: 'fixed' },
] as const;

/**
 * The knee step: launch-mix under `current` (its 50 upstream sockets, the launch report's blocker #1,
 * fill at a few thousand users) at `share` of the users where the model, calibrated on the runs before
 * it, says the first of the pool and the upstream sockets fills: busy enough to show them filling,
 * below the knee so the step stays short (k6 waits for the iterations in flight when it ends).
 */
export const KNEE_STEP = { scenario: 'launch-mix', policy: 'current', share: 0.8, seconds: 10 } as const;

/** The embedded server's database for the knee step: its seed (other users) stays beside the calibration's. */
export const KNEE_DATABASE = 'atlas_knee';

/** Options of {@link liveCalibration}. */
export interface LiveOptions {
  runsDir: string;
  liveSeconds: number;
  databaseUrl?: string | undefined;
  /** The environment as the CLI read it (DATABASE_URL, ...). */
  environment: RunEnvironment;
  log: (line: string) => void;
  progress?: ((snapshot: LiveSnapshot) => void) | undefined;
  onRunEnd?: (() => void) | undefined;
  signal?: AbortSignal | undefined;
  now: () => Date;
}

/** Users at which the first of the pool and the upstream sockets fills, by a prediction at `users`. */
export function poolSaturationUsers(p: Prediction): number | null {
  const share = Math.max(
    0,
    ...p.resources
      .filter((r) => r.name === 'db.pool' || r.name === 'upstream.sockets')
      .map((r) => r.offeredLoad / r.servers),
  );
  return share > 0 ? p.users / share : null;
}

/**
 * The knee step's database: on the embedded server (held until `release`) its own `atlas_knee`, created
 * once, so neither seed replaces the other and a warm machine seeds nothing; else the one given.
 */
async function kneeDatabase(
  options: LiveOptions,
): Promise<{ url: string | undefined; release(): Promise<void> }> {
  if (options.databaseUrl !== undefined || options.environment.databaseUrl)
    return { url: options.databaseUrl, release: async () => {} };
  const db = await resolveDatabase({}, options.log);
  const client = new pg.Client({ connectionString: db.url });
  try {
    await client.connect();
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [KNEE_DATABASE]);
    if (rowCount === 0) await client.query(`create database ${KNEE_DATABASE}`);
  } catch (error) {
    await db.release();
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
  const url = new URL(db.url);
  url.pathname = `/${KNEE_DATABASE}`;
  return { url: url.toString(), release: db.release };
}

/**
 * Short live calibration (delta and full sync, the launch mix, at 1k users on the local target), then
 * the knee step with the model's prediction of it made before it ran. Says what it skipped.
 */
export async function liveCalibration(
  options: LiveOptions,
  profile: Profile,
): Promise<{ status: LiveStatus; kneeStep: { run: LoadedRun; prediction: Prediction } | null }> {
  const { log, now } = options;
  const status: LiveStatus = { mode: 'live', ran: [], skipped: [] };
  try {
    // A newcomer's `npm install && npm start` has no k6 yet: build the pinned one when Go is there.
    await installK6(log);
  } catch (error) {
    status.skipped.push({ what: 'live calibration (k6 runs)', why: redact((error as Error).message) });
    return { status, kneeStep: null };
  }
  const common = {
    profile,
    target: 'local' as const,
    environment: options.environment,
    log,
    progress: options.progress,
    signal: options.signal,
  };
  const done: LoadedRun[] = [];
  const attempt = async (what: string, run: () => Promise<{ dir: string; exitStatus: number }>) => {
    log(`live: ${what}`);
    try {
      const { dir, exitStatus } = await run();
      options.onRunEnd?.();
      status.ran.push(`${what}: ${relative(ROOT, dir) || dir} (exit ${exitStatus})`);
      done.push(loadRun(dir, '--runs'));
      return done.at(-1)!;
    } catch (error) {
      options.onRunEnd?.();
      if ((error as Error).name === 'InterruptedError') throw error;
      status.skipped.push({ what, why: redact((error as Error).message.split('\n')[0] ?? String(error)) });
      return null;
    }
  };
  for (const { scenario, policy } of LIVE_RUNS) {
    await attempt(
      `${scenario} at ${LIVE_USERS} users under ${policy} for ${options.liveSeconds} s`,
      async () => {
        const { dir, record } = await runScenario({
          ...common,
          scenario,
          users: LIVE_USERS,
          policy: loadPolicy(policy),
          durationSeconds: options.liveSeconds,
          databaseUrl: options.databaseUrl,
          // Into the first runs folder (reports/runs by default), so the next --no-live review finds them.
          outDir: join(options.runsDir, `${scenario}-${LIVE_USERS}u-${policy}-${compactTime(now())}`),
        });
        return { dir, exitStatus: record.exitStatus };
      },
    );
    if (options.signal?.aborted) return { status, kneeStep: null };
  }
  if (done.length === 0) return { status, kneeStep: null };

  // The model, calibrated on the runs before the step (never on the step it is checked against).
  const policy = loadPolicy(KNEE_STEP.policy);
  const ctx = contextFor(
    { profile, policies: [policy], users: [LIVE_USERS], calibration: calibrate(done) },
    policy,
  );
  const saturation = poolSaturationUsers(predictAnalytic(profile, policy, LIVE_USERS, ctx));
  if (saturation === null) {
    status.skipped.push({
      what: 'knee step',
      why: 'the model puts no load on the pool or the upstream sockets',
    });
    return { status, kneeStep: null };
  }
  const users = Math.max(100, Math.round((KNEE_STEP.share * saturation) / 100) * 100);
  const prediction = predictAnalytic(profile, policy, users, ctx);
  const what = `knee step: ${KNEE_STEP.scenario} at ${users} users under ${policy.name} for ${KNEE_STEP.seconds} s (model: pools fill at ${Math.round(saturation)} users)`;
  const step = await attempt(what, async () => {
    const db = await kneeDatabase(options);
    try {
      const { dir, record } = await runScenario({
        ...common,
        scenario: KNEE_STEP.scenario,
        users,
        policy,
        durationSeconds: KNEE_STEP.seconds,
        databaseUrl: db.url,
        outDir: join(
          options.runsDir,
          `${KNEE_STEP.scenario}-${users}u-${policy.name}-knee-${compactTime(now())}`,
        ),
      });
      return { dir, exitStatus: record.exitStatus };
    } finally {
      await db.release();
    }
  });
  return { status, kneeStep: step ? { run: step, prediction } : null };
}
