import { join } from 'node:path';
import { bundleScenario } from '../k6/bundle.ts';
import { inspectScenario, type K6Process, scheduledRate, startK6 } from '../k6/run-k6.ts';
import { parseThresholds, type Threshold } from '../k6/thresholds.ts';
import { onAbort, throwIfInterrupted } from './interrupt.ts';
import { executionSegment, type ScenarioName, scenarioFile } from './plan.ts';

/** A scenario bundled and inspected, ready for k6 processes to run. */
export interface PreparedLoad {
  k6: string;
  /** The bundle (scripts/k6/bundle.ts), in the run's work folder. */
  file: string;
  /** `-e` variables: the plan's, the target URL and the tokenized users export. */
  env: Record<string, string>;
  /** k6's process environment: the anon key, never the JWT secret. */
  processEnv: NodeJS.ProcessEnv;
  thresholds: Threshold[];
  /** Iterations per second the scenario schedules. */
  targetRate: number;
  /** VUs all its scenarios may allocate (maxVUs summed). */
  allocatedVUs: number;
}

/** Bundles the scenario into `work` and asks k6 for its resolved options (thresholds, rate, VUs). */
export async function prepareLoad(
  k6: string,
  scenario: ScenarioName,
  work: string,
  env: Record<string, string>,
  anonKey: string,
): Promise<PreparedLoad> {
  // The anon key travels in the process environment (k6 reads it into __ENV), never on a command line.
  const processEnv: NodeJS.ProcessEnv = { ...process.env, ANON_KEY: anonKey, K6_NO_USAGE_REPORT: 'true' };
  delete processEnv.SUPABASE_JWT_SECRET;
  delete processEnv.JWT_SECRET;
  const file = await bundleScenario(scenarioFile(scenario), work);
  const inspected = await inspectScenario(k6, file, env, processEnv);
  return {
    k6,
    file,
    env,
    processEnv,
    thresholds: parseThresholds(inspected.thresholds ?? {}),
    targetRate: scheduledRate(inspected),
    allocatedVUs: Object.values(inspected.scenarios ?? {}).reduce((n, s) => n + (s.maxVUs ?? 0), 0),
  };
}

/**
 * Warm-up: the same scenario and rate, its output kept in work/ and read by nothing; the measured run
 * starts on a target whose code is compiled and whose connections are open.
 */
export async function warmUp(
  load: PreparedLoad,
  seconds: number,
  work: string,
  signal?: AbortSignal,
): Promise<void> {
  const warm = startK6({
    k6: load.k6,
    file: load.file,
    env: { ...load.env, DURATION_S: String(seconds) },
    rawOut: join(work, 'k6-warmup.json.gz'),
    logFile: join(work, 'k6-warmup.log'),
    processEnv: load.processEnv,
  });
  const unhook = onAbort(signal, () => warm.child.kill('SIGINT'));
  const code = await warm.done;
  unhook();
  throwIfInterrupted(signal, 'interrupted during the warm-up: no run record written');
  // 99: a threshold failed during the warm-up, which is not judged.
  if (code !== 0 && code !== 99)
    throw new Error(`k6 warm-up exited with ${code} (see ${join(work, 'k6-warmup.log')})`);
}

/** The measured load: `segments` k6 processes, one execution segment each, raw outputs in `work`. */
export function startSegments(
  load: PreparedLoad,
  segments: number,
  work: string,
  liveOutput = false,
): { rawFiles: string[]; processes: K6Process[] } {
  const rawFiles = Array.from({ length: segments }, (_, i) => join(work, `k6-${i}.json.gz`));
  const processes = rawFiles.map((rawOut, i) =>
    startK6({
      k6: load.k6,
      file: load.file,
      env: load.env,
      rawOut,
      logFile: join(work, `k6-${i}.log`),
      processEnv: load.processEnv,
      liveOutput,
      ...(segments > 1 ? { segment: executionSegment(i, segments) } : {}),
    }),
  );
  return { rawFiles, processes };
}
