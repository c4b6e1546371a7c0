import { availableParallelism } from 'node:os';
import { remoteRefusal } from '../../core/loopback.ts';
import type { Profile } from '../../core/profile.ts';
import { maskUrl } from '../../core/redact.ts';
import { UsageError } from '../../core/usage-error.ts';
import { parseFlags } from '../commands/flags/parse-flags.ts';
import { RUN_NUMBERS } from '../commands/flags/run-flags.ts';
import { EMBEDDED_PORT } from '../lib/embedded-postgres.ts';
import { isEmbeddedUrl, parseDbCores } from './db-cores.ts';
import { type FaultName, parseFault } from './faults.ts';

import { parseScenario, type ScenarioName } from './plan.ts';
import { checkRunHosts } from './run-hosts.ts';
import type { RunEnvironment, RunOptions } from './run-options.ts';

// No URL given: the runner starts the embedded server, its own.
const EMBEDDED_URL = `postgres://127.0.0.1:${EMBEDDED_PORT}`;

/** Run options after validation: the checked values `runScenario` works with. */
export interface ValidRun {
  scenario: ScenarioName;
  /**
   * The profile as of `now`: a load test is about the present (its syncs ask what changed in the last
   * 30 s), so a fresh seed is a snapshot of the run's start, whatever fixed instant the profile names.
   */
  profile: Profile;
  segments: number;
  warmupSeconds: number;
  fault: FaultName | undefined;
  local: boolean;
  schema: 'plain' | 'partitioned';
  /** Cores the embedded database server is limited to; undefined: not limited. */
  dbCores: number | undefined;
}

/** Checks every option before anything is started or written; throws a UsageError naming the flag. */
export function validateRun(
  options: RunOptions,
  environment: RunEnvironment,
  machineCores: number = availableParallelism(),
): ValidRun {
  const scenario = parseScenario(options.scenario);
  // The library takes numbers, the CLI text: both are held to the same rules (scripts/commands/flags).
  const { warmup: warmupSeconds, segments } = parseFlags(RUN_NUMBERS, {
    users: options.users,
    duration: options.durationSeconds,
    warmup: options.warmupSeconds ?? 0,
    segments: options.segments ?? 1,
  });
  const fault = parseFault(options.fault);
  const local = options.target === 'local';
  if (!local) {
    let refusal: string | undefined;
    try {
      refusal = remoteRefusal(options.target, options.allowRemote);
    } catch {
      throw new UsageError('--target', `must be 'local' or an http(s) URL, got ${maskUrl(options.target)}`);
    }
    if (!/^https?:\/\//.test(options.target)) {
      throw new UsageError('--target', `must be 'local' or an http(s) URL, got ${maskUrl(options.target)}`);
    }
    if (refusal) throw new UsageError('--target', refusal);
    if (fault) throw new UsageError('--fault', 'faults are injected into the local target only');
    if (!environment.anonKey) throw new UsageError('SUPABASE_ANON_KEY', 'must be set for --target URL');
    if (!environment.jwtSecret) {
      throw new UsageError(
        'SUPABASE_JWT_SECRET',
        'must be set for --target URL (the runner signs user tokens with it)',
      );
    }
  }
  if (fault === 'restart-db' && (options.databaseUrl !== undefined || environment.databaseUrl)) {
    throw new UsageError(
      '--fault',
      'restart-db restarts the embedded PostgreSQL: run without --database-url and DATABASE_URL',
    );
  }
  const schema = options.schema ?? 'plain';
  if (schema !== 'plain' && schema !== 'partitioned') {
    throw new UsageError('--schema', `must be plain or partitioned, got ${schema}`);
  }
  checkRunHosts(options, environment);
  const profile = { ...options.profile, asOf: 'now' };
  const dbCores = parseDbCores(options.dbCores, machineCores, {
    local,
    sharedUrl: !isEmbeddedUrl(options.databaseUrl ?? environment.databaseUrl ?? EMBEDDED_URL),
  });
  return { scenario, profile, segments, warmupSeconds, fault, local, schema, dbCores };
}
