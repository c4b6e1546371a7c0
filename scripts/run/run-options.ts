import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import { compactTime } from '../lib/compact-time.ts';
import type { LiveSnapshot } from './live-line.ts';

/** Repository root (run records default to reports/runs/ under it). */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Longest run the runner accepts, seconds: every run stops by itself. */
export const MAX_DURATION_S = 3600;
/** Most k6 processes one runner starts (one machine; more belongs on k8s). */
export const MAX_SEGMENTS = 16;

/**
 * What the runner takes from the environment, read once by the CLI edge ({@link readRunEnvironment})
 * and passed in; the runner itself never reads `process.env` for configuration.
 */
export interface RunEnvironment {
  /** DATABASE_URL: the database `resolveDatabase` falls back to (restart-db refuses it). */
  databaseUrl?: string | undefined;
  /** REDIS_URL: the Redis the redis-down fault cuts when --redis-url is not given. */
  redisUrl?: string | undefined;
  /** SUPABASE_ANON_KEY: the anon key of a remote target. */
  anonKey?: string | undefined;
  /** SUPABASE_JWT_SECRET: signs the users' tokens (required for a remote target). */
  jwtSecret?: string | undefined;
  /** ATLAS_USERS_CSV: the users export of a remote target. */
  usersCsv?: string | undefined;
}

/** Reads the runner's environment variables (empty values count as unset). */
export function readRunEnvironment(env: NodeJS.ProcessEnv): RunEnvironment {
  const value = (name: string): string | undefined => env[name] || undefined;
  return {
    databaseUrl: value('DATABASE_URL'),
    redisUrl: value('REDIS_URL'),
    anonKey: value('SUPABASE_ANON_KEY'),
    jwtSecret: value('SUPABASE_JWT_SECRET'),
    usersCsv: value('ATLAS_USERS_CSV'),
  };
}

/** What `runScenario` takes: the CLI parses `atlas-cap run` flags (and the environment) into exactly this. */
export interface RunOptions {
  scenario: string;
  users: number;
  policy: Policy;
  profile: Profile;
  durationSeconds: number;
  /**
   * The first seconds of the same k6 run, left out of every figure (the target's JIT, its pool's
   * connections and their caches warm up; k6's own start is behind); default 0.
   */
  warmupSeconds?: number;
  databaseUrl?: string | undefined;
  /** `local` (seed, start the target) or the base URL of a running deployment. */
  target: 'local' | string;
  segments?: number;
  outDir?: string | undefined;
  fault?: string | undefined;
  allowRemote?: string | undefined;
  schema?: 'plain' | 'partitioned';
  /** Limit the embedded database server to this many cores (taskset); absent: not limited. */
  dbCores?: number | undefined;
  /** Keep this many cores from idling during the run (busy-cores.ts: spinners at SCHED_IDLE); absent: none. */
  busyCores?: number | undefined;
  /** Use Redis for the target's rate-limit counters; redis-down implies it. */
  redisUrl?: string | undefined;
  /** The environment as the CLI read it; none when absent (a library caller passes what it wants). */
  environment?: RunEnvironment;
  log?: (line: string) => void;
  /** Called once a second while the measured load runs (the live line); omit for none. */
  progress?: ((snapshot: LiveSnapshot) => void) | undefined;
  /** Ctrl-C: stops k6, the target and the collector; the record is written marked interrupted. */
  signal?: AbortSignal | undefined;
}

/** Default run-record folder: reports/runs/<scenario>-<users>u-<policy>-<time>/. */
export function defaultOutDir(scenario: string, users: number, policy: string, at: Date): string {
  return join(ROOT, 'reports', 'runs', `${scenario}-${users}u-${policy}-${compactTime(at)}`);
}
