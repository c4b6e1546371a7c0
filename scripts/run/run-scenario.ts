import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { stringify } from 'yaml';
import { anonKey, DEV_JWT_SECRET } from '../../backend/jwt.ts';
import { remoteRefusal } from '../../core/loopback.ts';
import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import { maskUrl } from '../../core/redact.ts';
import { RUN_FILES, type RunRecord, RunRecordSchema } from '../../core/run-record.ts';
import { isUsageError, UsageError } from '../../core/usage-error.ts';
import { startCollector } from '../collector/collector.ts';
import { iterationSummary, mergeRawOutputs } from '../k6/aggregate.ts';
import { K6_VERSION, resolveK6 } from '../k6/binary.ts';
import { bundleScenario } from '../k6/bundle.ts';
import { inspectScenario, type K6Process, scheduledRate, startK6 } from '../k6/run-k6.ts';
import { parseThresholds } from '../k6/thresholds.ts';
import { type ResolvedDatabase, resolveDatabase } from '../lib/database.ts';
import { startEmbeddedPostgres } from '../lib/embedded-postgres.ts';
import { readSeedInfo, seedDatabase } from '../seed/index.ts';
import { startCpuSampler } from './cpu-sampler.ts';
import { databaseActivityBetween, readDatabaseCounters } from './database-activity.ts';
import {
  cutConnections,
  FAULT_AT_SHARE,
  FAULT_LENGTH_SHARE,
  type FaultName,
  parseFault,
  SLOW_QUERY,
} from './faults.ts';
import {
  type CpuGroup,
  localPostgresServerPid,
  runCpuOf,
  startHostCpuSampler,
  withCpuSeries,
} from './host-cpu-sampler.ts';
import { checkAcknowledgedMessages } from './integrity.ts';
import { executionSegment, parseScenario, planScenario, scenarioFile } from './plan.ts';
import {
  buildSeries,
  gitInfo,
  kneeOf,
  machineInfo,
  queryKindsBetween,
  syncWorkFromCounters,
} from './record.ts';
import { startTargetProcess, type TargetProcess } from './target-process.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { type TokenizedUsers, writeUsersWithTokens } from './tokens.ts';

/** Repository root (run records default to reports/runs/ under it). */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Longest run the runner accepts, seconds: every run stops by itself. */
export const MAX_DURATION_S = 3600;
/** Most k6 processes one runner starts (one machine; more belongs on k8s). */
export const MAX_SEGMENTS = 16;

/** What `runScenario` takes: the CLI parses `atlas-cap run` flags into exactly this. */
export interface RunOptions {
  scenario: string;
  users: number;
  policy: Policy;
  profile: Profile;
  durationSeconds: number;
  /**
   * Seconds of the same load run first and left out of every figure (the target's JIT, its pool's
   * connections and their caches warm up); default 0.
   */
  warmupSeconds?: number;
  databaseUrl?: string;
  /** `local` (seed, start the target) or the base URL of a running deployment. */
  target: 'local' | string;
  segments?: number;
  outDir?: string;
  fault?: string;
  allowRemote?: string;
  schema?: 'plain' | 'partitioned';
  /** Use Redis for the target's rate-limit counters (REDIS_URL); redis-down implies it. */
  redisUrl?: string;
  log?: (line: string) => void;
}

function compactTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Default run-record folder: reports/runs/<scenario>-<users>u-<policy>-<time>/. */
export function defaultOutDir(scenario: string, users: number, policy: string, at: Date): string {
  return join(ROOT, 'reports', 'runs', `${scenario}-${users}u-${policy}-${compactTime(at)}`);
}

function validate(options: RunOptions) {
  const scenario = parseScenario(options.scenario);
  if (!Number.isInteger(options.users) || options.users <= 0) {
    throw new UsageError('--users', `must be a positive integer, got ${options.users}`);
  }
  const d = options.durationSeconds;
  if (!Number.isInteger(d) || d < 1 || d > MAX_DURATION_S) {
    throw new UsageError(
      '--duration',
      `must be a whole number of seconds from 1 to ${MAX_DURATION_S}, got ${d}`,
    );
  }
  const warmup = options.warmupSeconds ?? 0;
  if (!Number.isInteger(warmup) || warmup < 0 || warmup > MAX_DURATION_S) {
    throw new UsageError(
      '--warmup',
      `must be a whole number of seconds from 0 to ${MAX_DURATION_S}, got ${warmup}`,
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
    if (!process.env.SUPABASE_ANON_KEY)
      throw new UsageError('SUPABASE_ANON_KEY', 'must be set for --target URL');
    if (!process.env.SUPABASE_JWT_SECRET) {
      throw new UsageError(
        'SUPABASE_JWT_SECRET',
        'must be set for --target URL (the runner signs user tokens with it)',
      );
    }
  }
  if (fault === 'restart-db' && (options.databaseUrl !== undefined || process.env.DATABASE_URL)) {
    throw new UsageError(
      '--fault',
      'restart-db restarts the embedded PostgreSQL: run without --database-url and DATABASE_URL',
    );
  }
  const schema = options.schema ?? 'plain';
  if (schema !== 'plain' && schema !== 'partitioned') {
    throw new UsageError('--schema', `must be plain or partitioned, got ${schema}`);
  }
  return { scenario, segments, fault, local, schema };
}

/** Users CSV for the run: the seed's export when the database holds this profile's seed; seeds it otherwise. */
async function ensureSeeded(
  options: RunOptions,
  databaseUrl: string,
  schema: 'plain' | 'partitioned',
  log: (line: string) => void,
): Promise<string> {
  const info = await readSeedInfo(databaseUrl);
  const matches =
    info !== null &&
    info.profile === options.profile.name &&
    info.users === options.users &&
    info.seed === options.profile.seed &&
    info.schema === schema &&
    existsSync(info.exportPath);
  if (matches) return info.exportPath;
  log(`seeding ${options.profile.name} with ${options.users} users (${schema}) into ${maskUrl(databaseUrl)}`);
  const summary = await seedDatabase({
    profile: options.profile,
    users: options.users,
    databaseUrl,
    allowRemote: options.allowRemote,
    schema,
    reset: true,
    progress: 'none',
    log,
  });
  return summary.exportPath;
}

/**
 * pg_stat_statements totals of the current database (calls, ms), or null when the extension is absent.
 * With `create` (the harness's own embedded server, which preloads the library) it creates the extension.
 */
async function statementTotals(
  databaseUrl: string,
  create = false,
): Promise<{ calls: number; ms: number } | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap statements' });
  try {
    await client.connect();
    if (create) await client.query('create extension if not exists pg_stat_statements').catch(() => {});
    const ext = await client.query(`select 1 from pg_extension where extname = 'pg_stat_statements'`);
    if (ext.rowCount === 0) return null;
    const { rows } = await client.query<{ calls: string | null; ms: number | null }>(
      `select sum(calls)::text as calls, sum(total_exec_time) as ms from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database())
          and query not ilike '%pg_stat%' and query not ilike '%pg_sleep%' and query not ilike 'select 1%'`,
    );
    return { calls: Number(rows[0]?.calls ?? 0), ms: Number(rows[0]?.ms ?? 0) };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

async function gzipConcat(files: string[], out: string): Promise<void> {
  // Gzip members concatenate into a valid gzip stream: the segments' raw outputs, one file.
  const sink = createWriteStream(out);
  for (const file of files) {
    if (!existsSync(file)) continue;
    await pipeline(createReadStream(file), sink, { end: false });
  }
  await new Promise<void>((r) => sink.end(r));
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Runs one scenario end to end and writes its run record (core/run-record.ts): seeds when needed,
 * starts the target and upstream stub as child processes, runs k6 (K segments), samples the server
 * every second, injects the fault, checks integrity, and returns the folder and the record.
 */
export async function runScenario(options: RunOptions): Promise<{ dir: string; record: RunRecord }> {
  const { scenario, segments, fault, local, schema } = validate(options);
  const log = options.log ?? (() => {});
  const k6 = resolveK6();
  const started = new Date();
  const dir = resolve(options.outDir ?? defaultOutDir(scenario, options.users, options.policy.name, started));
  if (existsSync(join(dir, RUN_FILES.record)))
    throw new UsageError('--out', `${dir} already holds a run record`);
  const plan = planScenario(
    scenario,
    options.profile,
    options.policy,
    options.users,
    options.durationSeconds,
  );

  const notes: string[] = [];
  let db: ResolvedDatabase | undefined;
  let target: TargetProcess | undefined;
  let proxy: TcpProxy | undefined;
  let tokens: TokenizedUsers | undefined;
  const work = join(dir, 'work');
  const existed = existsSync(dir);
  try {
    mkdirSync(join(dir, RUN_FILES.latencyDir), { recursive: true });
    mkdirSync(work, { recursive: true });
    let baseUrl: string;
    let usersCsv: string;
    const jwtSecret = local
      ? process.env.SUPABASE_JWT_SECRET || DEV_JWT_SECRET
      : process.env.SUPABASE_JWT_SECRET!;
    let anon: string;
    if (local) {
      db = await resolveDatabase({ databaseUrl: options.databaseUrl, allowRemote: options.allowRemote }, log);
      usersCsv = await ensureSeeded(options, db.url, schema, log);
      const policyFile = join(work, 'policy.yaml');
      writeFileSync(policyFile, stringify(options.policy));
      let redisUrl = options.redisUrl;
      if (fault === 'redis-down') {
        const redis = new URL(options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
        proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
        redis.hostname = '127.0.0.1';
        redis.port = String(proxy.port);
        redisUrl = redis.toString();
      }
      target = await startTargetProcess({
        policy: policyFile,
        databaseUrl: db.url,
        allowRemote: options.allowRemote,
        redisUrl,
        slowQuery: fault === 'slow-queries' ? SLOW_QUERY : undefined,
        env: { ...process.env, SUPABASE_JWT_SECRET: jwtSecret },
        logFile: join(work, 'target.log'),
      });
      baseUrl = target.url;
      anon = await anonKey(jwtSecret);
      log(`target ${baseUrl} (policy ${options.policy.name}), upstream ${target.upstream}`);
    } else {
      baseUrl = options.target.replace(/\/+$/, '');
      anon = process.env.SUPABASE_ANON_KEY!;
      const csv = process.env.ATLAS_USERS_CSV;
      if (csv) usersCsv = resolve(csv);
      else if (options.databaseUrl) {
        const info = await readSeedInfo(options.databaseUrl);
        if (!info)
          throw new UsageError('--database-url', 'holds no finished seed (its users export names the users)');
        usersCsv = info.exportPath;
      } else
        throw new UsageError(
          'ATLAS_USERS_CSV',
          'must name the users export for --target URL (or pass --database-url)',
        );
    }

    // Users' tokens are signed here, once; k6 gets them in a private copy of the export, not the secret.
    tokens = await writeUsersWithTokens(
      usersCsv,
      jwtSecret,
      (options.warmupSeconds ?? 0) + options.durationSeconds + 3600,
    );
    const env: Record<string, string> = { ...plan.env, BASE_URL: baseUrl, USERS_CSV: tokens.csv };
    // The anon key travels in the process environment (k6 reads it into __ENV), never on a command line.
    const k6Env: NodeJS.ProcessEnv = { ...process.env, ANON_KEY: anon, K6_NO_USAGE_REPORT: 'true' };
    delete k6Env.SUPABASE_JWT_SECRET;
    delete k6Env.JWT_SECRET;
    // k6 runs the scenario as one bundle (scripts/k6/bundle.ts), kept in the run's work folder.
    const file = await bundleScenario(scenarioFile(scenario), work);
    const inspected = await inspectScenario(k6, file, env, k6Env);
    const thresholds = parseThresholds(inspected.thresholds ?? {});
    const targetRate = scheduledRate(inspected);
    const allocatedVUs = Object.values(inspected.scenarios ?? {}).reduce((n, s) => n + (s.maxVUs ?? 0), 0);

    // Warm-up: the same scenario and rate, its output kept in work/ and read by nothing; the measured
    // run starts on a target whose code is compiled and whose connections are open.
    const warmupSeconds = options.warmupSeconds ?? 0;
    if (warmupSeconds > 0) {
      log(`warm-up: ${scenario} for ${warmupSeconds} s (not measured)`);
      const warm = startK6({
        k6,
        file,
        env: { ...env, DURATION_S: String(warmupSeconds) },
        rawOut: join(work, 'k6-warmup.json.gz'),
        logFile: join(work, 'k6-warmup.log'),
        processEnv: k6Env,
      });
      const code = await warm.done;
      // 99: a threshold failed during the warm-up, which is not judged.
      if (code !== 0 && code !== 99)
        throw new Error(`k6 warm-up exited with ${code} (see ${join(work, 'k6-warmup.log')})`);
    }
    const statsBefore = db ? await statementTotals(db.url, db.source === 'embedded') : null;
    const dbBefore = db ? await readDatabaseCounters(db.url) : null;
    const collector = await startCollector({ metricsUrl: local ? baseUrl : undefined, databaseUrl: db?.url });
    // Where the CPU goes (host, target, database, k6, this runner): the simulator's rig model reads it.
    const hostCpu = startHostCpuSampler(machineInfo().cores);
    // Without /proc (not Linux) only k6's own CPU is measured, with pidusage.
    const k6Cpu = hostCpu.available ? null : startCpuSampler();
    const cpuProcesses: Partial<Record<CpuGroup, string>> = { runner: `runner pid ${process.pid}` };
    hostCpu.watch('runner', process.pid, false);
    if (target?.child.pid) {
      hostCpu.watch('target', target.child.pid);
      cpuProcesses.target = `target pid ${target.child.pid} and its children`;
    }
    const pgServer = db ? await localPostgresServerPid(db.url) : null;
    if (pgServer !== null) {
      hostCpu.watch('database', pgServer);
      cpuProcesses.database = `PostgreSQL server pid ${pgServer} and its children (all its databases)`;
    }
    const originMs = Date.now();
    const rawFiles = Array.from({ length: segments }, (_, i) => join(work, `k6-${i}.json.gz`));
    const processes: K6Process[] = rawFiles.map((rawOut, i) =>
      startK6({
        k6,
        file,
        env,
        rawOut,
        logFile: join(work, `k6-${i}.log`),
        processEnv: k6Env,
        ...(segments > 1 ? { segment: executionSegment(i, segments) } : {}),
      }),
    );
    for (const p of processes) {
      k6Cpu?.watch(p.pid);
      hostCpu.watch('loadGenerator', p.pid);
    }
    cpuProcesses.loadGenerator = `${processes.length} k6 process(es) and their children`;
    log(
      `k6 ${scenario}: ${segments} process(es), ${targetRate.toFixed(3)} iterations/s for ${options.durationSeconds} s`,
    );

    const faultInfo: Record<string, unknown> = {};
    const faultTask = fault
      ? injectFault(fault, options.durationSeconds, db!, proxy, faultInfo, log)
      : undefined;
    const codes = await Promise.all(processes.map((p) => p.done));
    await faultTask;
    const hostCpuSummary = hostCpu.stop();
    const runCpu = hostCpuSummary ? runCpuOf(hostCpuSummary, cpuProcesses) : null;
    const fromHost = runCpu?.loadGenerator;
    const lg = fromHost
      ? { mean: fromHost.cpuPercentMean, max: fromHost.cpuPercentMax }
      : (k6Cpu?.stop() ?? { mean: 0, max: 0 });
    const server = await collector.stop();
    const statsAfter = db ? await statementTotals(db.url) : null;
    const database = databaseActivityBetween(dbBefore, db ? await readDatabaseCounters(db.url) : null);
    const targetHealthy = target ? await healthy(target.url) : null;
    const ended = new Date();

    const merged = await mergeRawOutputs(rawFiles, thresholds, originMs);
    await gzipConcat(rawFiles, join(dir, RUN_FILES.rawK6));
    const series = withCpuSeries(
      buildSeries(merged.series, server.samples, originMs),
      hostCpuSummary?.samples ?? [],
      originMs,
    );

    const syncIterations = Object.entries(merged.iterations.byScenario)
      .filter(([name]) => name.startsWith('sync') || name === 'ramp')
      .reduce((n, [, c]) => n + c, 0);
    const queryKinds = queryKindsBetween(server.first, server.last);
    let sync: RunRecord['sync'] = null;
    if (plan.syncMode && syncIterations > 0) {
      const syncOnly = !Object.keys(merged.iterations.byScenario).some(
        (n) => !(n.startsWith('sync') || n === 'ramp'),
      );
      let queries: number;
      let dbTimeMs: number;
      if (statsBefore && statsAfter && syncOnly) {
        queries = statsAfter.calls - statsBefore.calls;
        dbTimeMs = statsAfter.ms - statsBefore.ms;
        notes.push('queries per sync from pg_stat_statements');
      } else {
        // Messages past the monthly check inserted one row each under insert.messages (402s did not).
        const messageInserts =
          (queryKinds['message.usage']?.calls ?? 0) - (merged.endpoints['api.message']?.statuses['402'] ?? 0);
        ({ queries, dbTimeMs } = syncWorkFromCounters(queryKinds, messageInserts));
        notes.push(
          `queries per sync from the target's atlas_db_queries_total (pg_stat_statements ${statsBefore ? 'not used: mixed traffic' : 'not available'})`,
        );
      }
      const syncRequests = ['rest.conversations', 'rest.messages', 'rest.push'].reduce(
        (n, name) => n + (merged.endpoints[name]?.count ?? 0),
        0,
      );
      sync = {
        mode: plan.syncMode,
        queriesPerSync: queries / syncIterations,
        dbTimeMsPerSync: dbTimeMs / syncIterations,
        requestsPerSync: syncRequests / syncIterations,
      };
    }

    if (fault) {
      const integrity = db ? await checkAcknowledgedMessages(db.url, merged.ackedMessageIds) : null;
      const tail = series.slice(Math.floor(series.length * 0.8));
      const tailRequests = tail.reduce((n, s) => n + s.requests, 0);
      const tailErrors = tail.reduce(
        (n, s) => n + Object.values(s.endpoints).reduce((e, x) => e + x.errors, 0),
        0,
      );
      faultInfo.errorsByKind = merged.errorsByKind;
      faultInfo.integrity = integrity;
      faultInfo.recovered = targetHealthy === true && tailRequests > 0 && tailErrors / tailRequests < 0.05;
      faultInfo.targetHealthyAfter = targetHealthy;
      faultInfo.lastFifthErrorRate = tailRequests === 0 ? null : tailErrors / tailRequests;
    } else if (merged.ackedMessageIds.length > 0 && db) {
      const integrity = await checkAcknowledgedMessages(db.url, merged.ackedMessageIds);
      if (integrity.missing > 0) notes.push(`integrity: ${integrity.missing} acknowledged messages missing`);
    }

    const machine = machineInfo();
    const cpuCapacity = machine.cores * 100;
    // k6 shares the machine with the target: 85% of all cores is where its own timing starts to slip.
    const saturated =
      lg.mean >= 0.85 * cpuCapacity ||
      (merged.iterations.dropped > 0 && merged.peakVUs >= allocatedVUs && allocatedVUs > 0);
    if (saturated) notes.push('load generator saturated: results understate capacity');
    if (merged.iterations.dropped > 0)
      notes.push(`${merged.iterations.dropped} iterations dropped (not started)`);
    const thresholdResults = Object.fromEntries(
      Object.entries(merged.thresholds).map(([key, list]) => [key, { ok: list.every((t) => t.ok) }]),
    );
    const thresholdsOk = Object.values(thresholdResults).every((t) => t.ok);
    const k6Failed = codes.find((c) => c !== 0 && c !== 99);
    let knee: RunRecord['knee'];
    if (scenario === 'ramp-to-knee') {
      knee = kneeOf(merged.series, Number(env.P95_BUDGET_MS ?? 1000), Number(env.ERROR_BUDGET ?? 0.05));
      notes.push(`knee: ${knee.iterationsPerSecond} iterations/s (${knee.requestsPerSecond} requests/s)`);
    }
    if (k6Failed !== undefined) notes.push(`k6 exited with ${k6Failed} (see work/k6-*.log)`);

    const record: RunRecord = RunRecordSchema.parse({
      schemaVersion: 1,
      id: dir.split('/').pop()!,
      scenario,
      users: options.users,
      profile: options.profile,
      policy: options.policy,
      arrivalRates: plan.arrivalRates,
      target: { kind: local ? 'local' : 'remote', url: maskUrl(baseUrl), schema },
      k6: { version: K6_VERSION, segments },
      machine,
      git: gitInfo(ROOT),
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      durationSeconds: options.durationSeconds,
      ...(warmupSeconds > 0 ? { warmupSeconds } : {}),
      endpoints: merged.endpoints,
      iterations: iterationSummary(merged, options.durationSeconds, targetRate),
      sync,
      queryKinds,
      loadGenerator: { cpuPercentMean: lg.mean, cpuPercentMax: lg.max, saturated, maxVUs: merged.maxVUs },
      ...(runCpu ? { cpu: runCpu } : {}),
      ...(database ? { database } : {}),
      thresholds: thresholdResults,
      ...(Object.keys(merged.classes).length > 0 ? { classes: merged.classes } : {}),
      ...(knee ? { knee } : {}),
      ...(fault ? { faults: { [fault]: faultInfo } } : {}),
      notes,
      exitStatus: k6Failed ?? (thresholdsOk ? 0 : 99),
    });

    writeFileSync(join(dir, RUN_FILES.series), JSON.stringify(series));
    for (const [name, durations] of Object.entries(merged.latency)) {
      writeFileSync(
        join(dir, RUN_FILES.latencyDir, `${name.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`),
        JSON.stringify(durations),
      );
    }
    writeFileSync(join(dir, RUN_FILES.record), JSON.stringify(record, null, 2) + '\n');
    for (const f of rawFiles) rmSync(f, { force: true });
    return { dir, record };
  } catch (error) {
    // Bad input found late (seed info, users export): leave nothing half-written behind.
    if (isUsageError(error) && !existed) rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    tokens?.remove();
    await target?.stop();
    await proxy?.close();
    await db?.release();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Injects `fault` at 40% of the run; lasting faults end at 60%. Details go into `info`. */
async function injectFault(
  fault: FaultName,
  durationSeconds: number,
  db: ResolvedDatabase,
  proxy: TcpProxy | undefined,
  info: Record<string, unknown>,
  log: (line: string) => void,
): Promise<void> {
  const at = durationSeconds * FAULT_AT_SHARE;
  info.atSeconds = at;
  if (fault === 'slow-queries') {
    info.slowQuery = SLOW_QUERY;
    info.atSeconds = 0;
    info.lengthSeconds = durationSeconds;
    return; // the target was started with --slow-query-ms: slow reads all run long
  }
  await sleep(at * 1000 + 1000); // k6 needs about a second to start its VUs
  if (fault === 'connections-cut') {
    info.terminated = await cutConnections(db.url);
    log(`fault: cut ${info.terminated} database connections`);
  } else if (fault === 'restart-db') {
    const t0 = Date.now();
    await db.release();
    if (await reachable(db.url)) {
      // release() only stops a server this process started; another atlas-cap process owns this one.
      info.restarted = false;
      info.reason = 'the embedded PostgreSQL was started by another process; not restarted';
      log(`fault: ${info.reason}`);
      return;
    }
    const again = await startEmbeddedPostgres(log);
    db.release = again.stop;
    info.restarted = true;
    info.restartSeconds = (Date.now() - t0) / 1000;
    log(`fault: restarted the embedded PostgreSQL in ${info.restartSeconds} s`);
  } else if (fault === 'redis-down' && proxy) {
    const length = durationSeconds * FAULT_LENGTH_SHARE;
    info.lengthSeconds = length;
    await proxy.cut();
    log(`fault: Redis unreachable for ${length} s`);
    await sleep(length * 1000);
    await proxy.restore();
  }
}
