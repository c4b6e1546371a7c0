import { join } from 'node:path';
import { bundleScenario } from '../k6/bundle.ts';
import { inspectScenario, type K6Process, scheduledRate, startK6 } from '../k6/run-k6.ts';
import { parseThresholds, type Threshold } from '../k6/thresholds.ts';
import { executionSegment, measuredWindowEnv, type ScenarioName, scenarioFile } from './plan.ts';

/** A scenario bundled and inspected, ready for k6 processes to run. */
export interface PreparedLoad {
  k6: string;
  /** The bundle (scripts/k6/bundle.ts), in the run's work folder. */
  file: string;
  /** `-e` variables: the plan's (warm-up and window: one run), the target URL and the users export. */
  env: Record<string, string>;
  /** k6's process environment: the anon key, never the JWT secret. */
  processEnv: NodeJS.ProcessEnv;
  thresholds: Threshold[];
  /** Iterations per second the scenario schedules in the measured window. */
  targetRate: number;
  /** VUs all its scenarios may allocate (maxVUs summed). */
  allocatedVUs: number;
}

/**
 * Bundles the scenario into `work` and asks k6 for its resolved options (thresholds, VUs, and the
 * rate of the measured window: inspected without the warm-up, which a ramp holds at its start rate).
 */
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
  const inspected = await inspectScenario(k6, file, measuredWindowEnv(env), processEnv);
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
 * The load, warm-up and measured window in one run: `segments` k6 processes started together, one
 * execution segment each, raw outputs in `work`.
 */
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
      ...(segments > 1 ? { segment: { ...executionSegment(i, segments), index: i } } : {}),
    }),
  );
  return { rawFiles, processes };
}
