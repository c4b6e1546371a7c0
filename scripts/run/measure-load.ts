import { type Collector, startCollector } from '../collector/collector.ts';
import { databaseActivityBetween, readDatabaseCounters } from './database-activity.ts';
import { healthy } from './health-probe.ts';
import { injectFault } from './inject-fault.ts';
import { type PreparedLoad, startSegments } from './k6-load.ts';
import { startLiveMonitor } from './live-monitor.ts';
import { machineInfo } from './record.ts';
import { type RunCpuResult, startRunCpuWatch } from './run-cpu-watch.ts';
import type { RunOptions } from './run-options.ts';
import { type StatementTotals, statementTotals } from './statement-totals.ts';
import type { HeldResources } from './target-setup.ts';
import type { ValidRun } from './validate-run.ts';

/** What the measured load left behind, before it is merged into a run record. */
export interface Measurement {
  /** When k6 started (ms since epoch): second 0 of every series. */
  originMs: number;
  ended: Date;
  /** k6's raw outputs, one per segment, and its exit codes. */
  rawFiles: string[];
  codes: number[];
  cpu: RunCpuResult;
  /** The target's /metrics and the database, sampled every second. */
  server: Awaited<ReturnType<Collector['stop']>>;
  statements: { before: StatementTotals | null; after: StatementTotals | null };
  database: ReturnType<typeof databaseActivityBetween>;
  /** Whether the local target answers /healthz after the load (null for a remote one). */
  targetHealthy: boolean | null;
  /** The database the run used (null for a remote target without one). */
  databaseUrl: string | undefined;
  /** What the fault did (empty without one). */
  faultInfo: Record<string, unknown>;
  /** Ctrl-C stopped the load early: the figures cover `ranSeconds`, not the planned duration. */
  interrupted: boolean;
  ranSeconds: number;
}

/**
 * The measured load: database totals before, the collector and CPU sampling, k6's segments with the
 * fault injected beside them, then everything stopped and read again after.
 */
export async function measureLoad(
  load: PreparedLoad,
  run: ValidRun,
  durationSeconds: number,
  held: HeldResources,
  work: string,
  log: (line: string) => void,
  live: Pick<RunOptions, 'progress' | 'signal'> = {},
): Promise<Measurement> {
  const db = held.db;
  const before = db ? await statementTotals(db.url, db.source === 'embedded') : null;
  const countersBefore = db ? await readDatabaseCounters(db.url) : null;
  // A deployment's /metrics is read too when it has one; what it lacks is named in notMeasured.
  const collector = await startCollector({ metricsUrl: load.env.BASE_URL, databaseUrl: db?.url });
  const cpuWatch = await startRunCpuWatch(machineInfo().cores, held.target?.child.pid, db?.url);
  const originMs = Date.now();
  const { rawFiles, processes } = startSegments(load, run.segments, work, live.progress !== undefined);
  const monitor = startLiveMonitor({
    processes,
    latest: collector.latest,
    offeredPerSecond: load.targetRate,
    totalSeconds: durationSeconds,
    originMs,
    onSnapshot: live.progress,
    signal: live.signal,
  });
  cpuWatch.watchLoadGenerator(processes);
  log(
    `k6 ${run.scenario}: ${run.segments} process(es), ${load.targetRate.toFixed(3)} iterations/s for ${durationSeconds} s`,
  );
  const faultInfo: Record<string, unknown> = {};
  const faultTask = run.fault
    ? injectFault(run.fault, durationSeconds, db!, held.proxy, faultInfo, log)
    : undefined;
  const codes = await Promise.all(processes.map((p) => p.done));
  monitor.stop();
  const interrupted = live.signal?.aborted === true;
  const ranSeconds = interrupted
    ? Math.min(durationSeconds, Math.round((Date.now() - originMs) / 100) / 10)
    : durationSeconds;
  await faultTask;
  const cpu = cpuWatch.stop();
  const server = await collector.stop();
  const after = db ? await statementTotals(db.url) : null;
  const database = databaseActivityBetween(countersBefore, db ? await readDatabaseCounters(db.url) : null);
  const targetHealthy = held.target ? await healthy(held.target.url) : null;
  return {
    originMs,
    ended: new Date(),
    rawFiles,
    codes,
    cpu,
    server,
    statements: { before, after },
    database,
    targetHealthy,
    databaseUrl: db?.url,
    faultInfo,
    interrupted,
    ranSeconds,
  };
}
