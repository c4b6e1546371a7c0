import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { anonKey, DEV_JWT_SECRET } from '../../backend/jwt.ts';
import { UsageError } from '../../core/usage-error.ts';
import { type ResolvedDatabase, resolveDatabase } from '../lib/database.ts';
import { EMBEDDED_DATA_DIR } from '../lib/embedded-postgres.ts';
import { readSeedInfo } from '../seed/index.ts';
import type { BusyCores } from './busy-cores.ts';
import { isEmbeddedUrl, limitServerCores } from './db-cores.ts';
import { ensureSeeded } from './ensure-seeded.ts';
import { SLOW_QUERY } from './faults.ts';
import type { RunEnvironment, RunOptions } from './run-options.ts';
import { startTargetProcess, type TargetProcess } from './target-process.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import type { TokenizedUsers } from './tokens.ts';
import type { ValidRun } from './validate-run.ts';

/** What a run holds while it runs; filled as each part starts, so a failure releases what did start. */
export interface HeldResources {
  db?: ResolvedDatabase;
  /** Sets the database server back to every core (--db-cores). */
  unlimitDb?: () => void;
  /** Spinners keeping cores from idling (busy-cores.ts). */
  busyCores?: BusyCores;
  target?: TargetProcess;
  proxy?: TcpProxy;
  /** Private copy of the users export with tokens (scripts/run/tokens.ts). */
  tokens?: TokenizedUsers;
}

/** Where the load goes and who the users are. */
export interface LoadTarget {
  baseUrl: string;
  anonKey: string;
  /** Signs the users' tokens; never given to k6. */
  jwtSecret: string;
  usersCsv: string;
}

/** Stops and releases, in reverse order of starting, whatever `held` holds. */
export async function releaseAll(held: HeldResources): Promise<void> {
  held.busyCores?.stop();
  held.tokens?.remove();
  await held.target?.stop();
  await held.proxy?.close();
  held.unlimitDb?.();
  await held.db?.release();
}

/**
 * The local target: resolves the database, seeds it when it does not hold this profile's seed, and
 * starts the target (behind a TCP proxy to Redis for redis-down, with slow queries for slow-queries).
 */
export async function startLocalTarget(
  options: RunOptions,
  run: ValidRun,
  environment: RunEnvironment,
  work: string,
  held: HeldResources,
  log: (line: string) => void,
): Promise<LoadTarget> {
  const jwtSecret = environment.jwtSecret || DEV_JWT_SECRET;
  held.db = await resolveDatabase(
    { databaseUrl: options.databaseUrl, allowRemote: options.allowRemote },
    log,
  );
  if (run.dbCores !== undefined) {
    // validateRun refused a shared server; the embedded one is the harness's own.
    if (held.db.source !== 'embedded' && !isEmbeddedUrl(held.db.url))
      throw new UsageError('--db-cores', 'limits only the embedded PostgreSQL');
    held.unlimitDb = limitServerCores(EMBEDDED_DATA_DIR, run.dbCores, availableParallelism());
    log(
      `database server limited to ${run.dbCores} core(s) (taskset ${run.dbCores === 1 ? '0' : `0-${run.dbCores - 1}`})`,
    );
  }
  const wanted = { ...options, profile: run.profile, schema: run.schema };
  const usersCsv = await ensureSeeded(wanted, held.db.url, log);
  const policyFile = join(work, 'policy.yaml');
  writeFileSync(policyFile, stringify(options.policy));
  let redisUrl = options.redisUrl;
  if (run.fault === 'redis-down') {
    const redis = new URL(options.redisUrl ?? environment.redisUrl ?? 'redis://127.0.0.1:6379');
    held.proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    redis.hostname = '127.0.0.1';
    redis.port = String(held.proxy.port);
    redisUrl = redis.toString();
  }
  held.target = await startTargetProcess({
    policy: policyFile,
    databaseUrl: held.db.url,
    allowRemote: options.allowRemote,
    redisUrl,
    slowQuery: run.fault === 'slow-queries' ? SLOW_QUERY : undefined,
    // The child inherits the process's environment (PATH, REDIS_URL) and gets the secret explicitly.
    env: { ...process.env, SUPABASE_JWT_SECRET: jwtSecret },
    logFile: join(work, 'target.log'),
  });
  log(`target ${held.target.url} (policy ${options.policy.name}), upstream ${held.target.upstream}`);
  return { baseUrl: held.target.url, anonKey: await anonKey(jwtSecret), jwtSecret, usersCsv };
}

/** A deployment at `options.target`: its keys from the environment, its users from ATLAS_USERS_CSV or a seed. */
export async function remoteTarget(options: RunOptions, environment: RunEnvironment): Promise<LoadTarget> {
  // validateRun refused a remote target without both keys.
  const target = {
    baseUrl: options.target.replace(/\/+$/, ''),
    anonKey: environment.anonKey!,
    jwtSecret: environment.jwtSecret!,
  };
  if (environment.usersCsv) return { ...target, usersCsv: resolve(environment.usersCsv) };
  if (!options.databaseUrl)
    throw new UsageError(
      'ATLAS_USERS_CSV',
      'must name the users export for --target URL (or pass --database-url)',
    );
  const info = await readSeedInfo(options.databaseUrl);
  if (!info)
    throw new UsageError('--database-url', 'holds no finished seed (its users export names the users)');
  return { ...target, usersCsv: info.exportPath };
}
