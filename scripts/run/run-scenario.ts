import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RUN_FILES, type RunRecord } from '../../core/run-record.ts';
import { isUsageError, UsageError } from '../../core/usage-error.ts';
import { resolveK6 } from '../k6/binary.ts';
import { recordOfRun } from './assemble-record.ts';
import { checkCanKeepCoresBusy, startBusyCores } from './busy-cores.ts';
import { throwIfInterrupted } from './interrupt.ts';
import { prepareLoad } from './k6-load.ts';
import { measureLoad } from './measure-load.ts';
import { planScenario } from './plan.ts';
import { defaultOutDir, type RunOptions } from './run-options.ts';
import { type HeldResources, releaseAll, remoteTarget, startLocalTarget } from './target-setup.ts';
import { writeUsersWithTokens } from './tokens.ts';
import { validateRun } from './validate-run.ts';
import { writeRunFolder } from './write-record.ts';

export {
  defaultOutDir,
  MAX_DURATION_S,
  MAX_SEGMENTS,
  type RunEnvironment,
  type RunOptions,
  readRunEnvironment,
} from './run-options.ts';

/**
 * Runs one scenario end to end and writes its run record (core/run-record.ts): seeds when needed,
 * starts the target and upstream stub as child processes, runs k6 (K segments) for the warm-up and
 * the measured window in one run, samples the server every second of the window, injects the fault,
 * checks integrity, and returns the folder and the record.
 */
export async function runScenario(options: RunOptions): Promise<{ dir: string; record: RunRecord }> {
  const environment = options.environment ?? {};
  const run = validateRun(options, environment);
  if (options.busyCores !== undefined) checkCanKeepCoresBusy();
  const { users, durationSeconds, policy } = options;
  const log = options.log ?? (() => {});
  const k6 = resolveK6();
  const started = new Date();
  const dir = resolve(options.outDir ?? defaultOutDir(run.scenario, users, policy.name, started));
  if (existsSync(join(dir, RUN_FILES.record)))
    throw new UsageError('--out', `${dir} already holds a run record`);
  const plan = planScenario(run.scenario, run.profile, policy, users, durationSeconds, run.warmupSeconds);
  const work = join(dir, 'work');
  const existed = existsSync(dir);
  const held: HeldResources = {};
  try {
    mkdirSync(join(dir, RUN_FILES.latencyDir), { recursive: true });
    mkdirSync(work, { recursive: true });
    const target = run.local
      ? await startLocalTarget(options, run, environment, work, held, log)
      : await remoteTarget(options, environment);
    // Users' tokens are signed here, once; k6 gets them in a private copy of the export, not the secret.
    const ttlSeconds = run.warmupSeconds + durationSeconds + 3600;
    held.tokens = await writeUsersWithTokens(target.usersCsv, target.jwtSecret, ttlSeconds);
    const env = { ...plan.env, BASE_URL: target.baseUrl, USERS_CSV: held.tokens.csv };
    const load = await prepareLoad(k6, run.scenario, work, env, target.anonKey);
    throwIfInterrupted(options.signal, 'interrupted before the load: no run record written');
    if (options.busyCores !== undefined) {
      held.busyCores = startBusyCores(options.busyCores);
      log(`${options.busyCores} core(s) kept from idling (spinners at SCHED_IDLE): not a fit run`);
    }
    const measured = await measureLoad(load, run, durationSeconds, held, work, log, options);
    const { record, series, latency } = await recordOfRun(
      { dir, options, run, plan, baseUrl: target.baseUrl, started, load, notes: [] },
      measured,
      load.thresholds,
    );
    writeRunFolder(dir, record, series, latency, measured.rawFiles);
    return { dir, record };
  } catch (error) {
    // Bad input found late (seed info, users export): leave nothing half-written behind.
    if (isUsageError(error) && !existed) rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await releaseAll(held);
  }
}
