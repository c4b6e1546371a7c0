import { remoteRefusal } from '../../core/loopback.ts';
import { maskUrl } from '../../core/redact.ts';
import { UsageError } from '../../core/usage-error.ts';
import { type FaultName, parseFault } from './faults.ts';
import { parseScenario, type ScenarioName } from './plan.ts';
import { MAX_DURATION_S, MAX_SEGMENTS, type RunEnvironment, type RunOptions } from './run-options.ts';

/** Run options after validation: the checked values `runScenario` works with. */
export interface ValidRun {
  scenario: ScenarioName;
  segments: number;
  warmupSeconds: number;
  fault: FaultName | undefined;
  local: boolean;
  schema: 'plain' | 'partitioned';
}

/** Checks every option before anything is started or written; throws a UsageError naming the flag. */
export function validateRun(options: RunOptions, environment: RunEnvironment): ValidRun {
  const scenario = parseScenario(options.scenario);
  if (!Number.isInteger(options.users) || options.users <= 0) {
    throw new UsageError('--users', `must be a positive whole number, got '${options.users}'`);
  }
  const d = options.durationSeconds;
  if (!Number.isInteger(d) || d < 1 || d > MAX_DURATION_S) {
    throw new UsageError(
      '--duration',
      `must be a whole number of seconds from 1 to ${MAX_DURATION_S}, got ${d}`,
    );
  }
  const warmupSeconds = options.warmupSeconds ?? 0;
  if (!Number.isInteger(warmupSeconds) || warmupSeconds < 0 || warmupSeconds > MAX_DURATION_S) {
    throw new UsageError(
      '--warmup',
      `must be a whole number of seconds from 0 to ${MAX_DURATION_S}, got ${warmupSeconds}`,
    );
  }
  const segments = options.segments ?? 1;
  if (!Number.isInteger(segments) || segments < 1 || segments > MAX_SEGMENTS) {
    throw new UsageError('--segments', `must be an integer from 1 to ${MAX_SEGMENTS}, got ${segments}`);
  }
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
  return { scenario, segments, warmupSeconds, fault, local, schema };
}
