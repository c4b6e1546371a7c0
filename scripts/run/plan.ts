import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import { UsageError } from '../../core/usage-error.ts';
import {
  ABUSIVE_PER_MIN,
  ABUSIVE_SHARE,
  abusiveUsersOf,
  K6_MAX_VUS,
  logNormalFromMedianP95,
  logNormalMean,
  MAX_ABUSIVE_USERS,
  messageIterationEstimateSeconds,
  scenarioSyncMode,
  syncIterationEstimateSeconds,
  workloadAt,
} from '../../simulator/index.ts';

// Turns `--users N` under a profile and policy into the k6 environment of a scenario: the open model's
// arrival rates (simulator workloadAt, the same numbers the simulator predicts from), intervals, and
// the iteration-time estimates Little's law sizes VUs with.

/** Scenario names; one file each in scenarios/. */
export const SCENARIOS = [
  'full-sync',
  'delta-sync',
  'rate-limit',
  'launch-mix',
  'ramp-to-knee',
  'isolation',
  'table-size',
] as const;
/** One scenario name. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Folder of the k6 scenarios. */
export const SCENARIOS_DIR = resolve(fileURLToPath(new URL('../../scenarios', import.meta.url)));

/** Absolute path of a scenario's file. */
export function scenarioFile(name: ScenarioName): string {
  return resolve(SCENARIOS_DIR, `${name}.ts`);
}

/** Checks a scenario name; UsageError listing the known ones. */
export function parseScenario(name: string): ScenarioName {
  if ((SCENARIOS as readonly string[]).includes(name)) return name as ScenarioName;
  throw new UsageError('SCENARIO', `unknown scenario '${name}' (known: ${SCENARIOS.join(', ')})`);
}

/** Abusive users of the rate-limit scenario (share, cap, sends per minute): simulator/scenario-load.ts. */
export { ABUSIVE_PER_MIN, ABUSIVE_SHARE, MAX_ABUSIVE_USERS };
/** ramp-to-knee ends at this multiple of the open model's sync rate... */
export const RAMP_FACTOR = 50;
/** ...and at least at this many syncs per second. */
export const RAMP_MIN_END_RATE = 100;
/** Upper bound on VUs per scenario (memory of the load generator: ~1-5 MB per VU). */
export const DEFAULT_MAX_VUS = K6_MAX_VUS;

/** What the runner passes to k6 for one scenario. */
export interface K6Plan {
  /** `-e` variables (no secrets: the JWT secret travels in the process environment). */
  env: Record<string, string>;
  /** Offered arrival rates (per second) by request kind, for the run record. */
  arrivalRates: Record<string, number>;
  /** Sync mode of the scenario's syncs, or null when it sends none. */
  syncMode: 'full' | 'delta' | null;
}

/** Mean of a log-normal given its median and p95 (the simulator's definition). */
export function logNormalMeanMs(latency: { median: number; p95: number }): number {
  return logNormalMean(logNormalFromMedianP95(latency.median, latency.p95));
}

function fixed(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * Builds the k6 environment of `scenario` at `users` users (pure): one k6 run of `warmupSeconds` +
 * `durationSeconds` (DURATION_S), the first `warmupSeconds` (WARMUP_S) left out of every figure.
 */
export function planScenario(
  scenario: ScenarioName,
  profile: Profile,
  policy: Policy,
  users: number,
  durationSeconds: number,
  warmupSeconds = 0,
): K6Plan {
  // The same mode simulate --scenario and validate predict with (simulator/scenario-load.ts).
  const mode = scenarioSyncMode(scenario, policy);
  const effective: Policy = { ...policy, sync: { ...policy.sync, mode } };
  const w = workloadAt(profile, effective, users);
  const env: Record<string, string> = {
    DURATION_S: String(warmupSeconds + durationSeconds),
    WARMUP_S: String(warmupSeconds),
    MAX_VUS: String(DEFAULT_MAX_VUS),
    SYNC_TIERS: policy.sync.tiers.join(','),
    SYNC_MODE: mode,
    DELTA_LIMIT: String(policy.sync.deltaLimit),
    PUSH_SHARE: fixed(profile.changeSharePer30s),
    MESSAGE_CHARS: String(Math.round(profile.content.meanChars)),
    MSG_PER_USER_PER_MIN: fixed(profile.messagesPerUserPerMinute),
    // Mean iteration times for Little's law: full sync ~8 ms per request, delta ~3 requests, a message
    // holds the upstream for its mean (log-normal from the policy's median and p95) plus the database work.
    // (simulator/load-generator.ts: the prediction sizes k6's VUs from the same estimates.)
    SYNC_ITER_S: fixed(syncIterationEstimateSeconds(mode, profile.conversationsPerUser.mean)),
    MSG_ITER_S: fixed(messageIterationEstimateSeconds(logNormalMeanMs(policy.upstream.latencyMs))),
  };
  for (const cls of ['active', 'recent', 'inactive'] as const) {
    env[`SYNC_INTERVAL_${cls.toUpperCase()}_S`] = fixed(w.intervalSecondsByClass[cls]);
    env[`SYNC_RATE_${cls.toUpperCase()}`] = fixed(w.syncsPerSecondByClass[cls]);
  }
  for (const tier of ['free', 'core', 'studio'] as const) {
    env[`MSG_RATE_${tier.toUpperCase()}`] = fixed(w.messagesPerSecondByTier[tier]);
  }
  const arrivalRates: Record<string, number> = {};
  let syncMode: K6Plan['syncMode'] = null;
  switch (scenario) {
    case 'full-sync':
    case 'delta-sync':
      arrivalRates.sync = w.syncsPerSecond;
      syncMode = mode;
      break;
    case 'rate-limit': {
      const abusive = abusiveUsersOf(profile, effective, users);
      env.ABUSIVE_USERS = String(abusive);
      env.ABUSIVE_PER_MIN = String(ABUSIVE_PER_MIN);
      arrivalRates['api.message'] = w.messagesPerSecond;
      arrivalRates['api.message.abusive'] = (abusive * ABUSIVE_PER_MIN) / 60;
      break;
    }
    case 'launch-mix':
      env.HEALTH_RATE = '1';
      arrivalRates.sync = w.syncsPerSecond;
      arrivalRates['api.message'] = w.messagesPerSecond;
      arrivalRates.healthz = 1;
      syncMode = mode;
      break;
    case 'ramp-to-knee': {
      // Far past the model's rate (50×, at least 100 syncs/s): the knee lies where the machine says.
      const end = Math.max(RAMP_MIN_END_RATE, w.syncsPerSecond * RAMP_FACTOR);
      env.RAMP_START_RATE = '1';
      env.RAMP_END_RATE = fixed(end);
      arrivalRates.sync = (1 + end) / 2;
      syncMode = mode;
      break;
    }
    case 'isolation':
      env.ISOLATION_RATE = '5';
      arrivalRates.isolation = 5;
      break;
    case 'table-size':
      env.TABLE_RATE = '5';
      arrivalRates.sync = 5;
      syncMode = 'delta';
      break;
  }
  return { env, arrivalRates, syncMode };
}

/**
 * The `-e` variables of a plan's measured window alone (DURATION_S without the warm-up, WARMUP_S 0):
 * `k6 inspect` resolves the window's schedule (the rate the record offers) from them.
 */
export function measuredWindowEnv(env: Record<string, string>): Record<string, string> {
  const warmup = Number(env.WARMUP_S ?? 0);
  return { ...env, DURATION_S: String(Number(env.DURATION_S) - warmup), WARMUP_S: '0' };
}

/** `--execution-segment` and `--execution-segment-sequence` values of segment `i` of `k`. */
export function executionSegment(i: number, k: number): { segment: string; sequence: string } {
  const frac = (n: number): string => (n === 0 ? '0' : n === k ? '1' : `${n}/${k}`);
  const sequence = Array.from({ length: k + 1 }, (_, n) => frac(n)).join(',');
  return { segment: `${frac(i)}:${frac(i + 1)}`, sequence };
}
