import { type Collector, startCollector } from '../collector/collector.ts';
import { databaseActivityBetween, readDatabaseCounters } from './database-activity.ts';
import { healthy } from './health-probe.ts';
import { injectFault } from './inject-fault.ts';
import { type PreparedLoad, startSegments } from './k6-load.ts';
import { startLiveMonitor } from './live-monitor.ts';
import { awaitLoadStarts, awaitWindowStart, stopAll } from './measured-window.ts';
import { machineInfo } from './record.ts';
import { type RunCpuResult, startRunCpuWatch } from './run-cpu-watch.ts';
import type { RunOptions } from './run-options.ts';
import { type StatementTotals, statementTotals } from './statement-totals.ts';
import type { HeldResources } from './target-setup.ts';
import type { ValidRun } from './validate-run.ts';

/** What the measured load left behind, before it is merged into a run record. */
export interface Measurement {
  /** When the measured window started (ms since epoch): second 0 of every series, after the warm-up. */
  originMs: number;
  /** Each segment's window start (its load start + W; the first is originMs): its samples count from there. */
  segmentStartsMs: number[];
  /**
   * Each segment's window end (its start + the duration): its samples count until there, so what k6
   * finishes in its graceful stop after the window is left out, as it is of the CPU, the collector
   * and the database totals (read when the last segment's window ends).
   */
  segmentEndsMs: number[];
  ended: Date;
  /** k6's raw outputs, one per segment (warm-up included: samples before originMs), and its exit codes. */
  rawFiles: string[];
  codes: number[];
  cpu: RunCpuResult;
  /** The target's /metrics and the database, sampled every second of the window. */
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
  /** Seconds of the measured window that ran (from originMs; the planned duration unless interrupted). */
  ranSeconds: number;
}

/** Resolves at epoch ms `atMs`, or when `done` settles first. */
async function untilOrDone(atMs: number, done: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const at = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, atMs - Date.now()));
  });
  try {
    await Promise.race([at, done.then(() => undefined)]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The load: one k6 run (K segments) of warm-up + window; when the warm-up ends (W s after k6 started
 * its load; without one, before k6 starts) the database totals are read, the collector and CPU
 * sampling start and the fault's clock runs; when the window ends (or k6 ends first) everything is
 * stopped and read again, then k6's graceful stop is awaited. Ctrl-C or a k6 exit during the warm-up: no
 * measurement (InterruptedError or Error).
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
  // The harness's own server preloads pg_stat_statements: its extension is created before the load.
  if (db?.source === 'embedded') await statementTotals(db.url, true);
  // What measures the window, read together (within ms): the database totals, the collector (a
  // deployment's /metrics too when it has one; what it lacks is named in notMeasured), CPU sampling.
  const startMeasuring = () =>
    Promise.all([
      db ? statementTotals(db.url) : null,
      db ? readDatabaseCounters(db.url) : null,
      startCollector({ metricsUrl: load.env.BASE_URL, databaseUrl: db?.url }),
      startRunCpuWatch(machineInfo().cores, held.target?.child.pid, db?.url),
    ]);
  // Without a warm-up there is nothing to leave out: measuring starts before k6 does, so no request of
  // the load's first moments (before the runner has read k6's start mark) escapes the counters.
  const early = run.warmupSeconds === 0 ? startMeasuring() : undefined;
  early?.catch(() => {});
  const { rawFiles, processes } = startSegments(load, run.segments, work, live.progress !== undefined);
  let collector: Collector | undefined;
  const monitor = startLiveMonitor({
    processes,
    latest: () => collector?.latest(),
    offeredPerSecond: load.targetRate,
    totalSeconds: durationSeconds,
    onSnapshot: live.progress,
    signal: live.signal,
  });
  log(
    `k6 ${run.scenario}: ${run.segments} process(es), ${load.targetRate.toFixed(3)} iterations/s, ` +
      (run.warmupSeconds > 0 ? `${run.warmupSeconds} s of warm-up (left out), then ` : '') +
      `${durationSeconds} s measured`,
  );
  let segmentStartsMs: number[];
  let originMs: number;
  try {
    const marks = await awaitLoadStarts(processes, live.signal);
    segmentStartsMs = marks.map((m) => m + run.warmupSeconds * 1000);
    originMs = Math.min(...segmentStartsMs);
    monitor.begin(originMs);
    await awaitWindowStart(originMs, processes, live.signal);
  } catch (error) {
    monitor.stop();
    // Measuring that had started before k6 stops with it (no record follows).
    await early?.then(([, , c, w]) => Promise.all([c.stop(), w.stop()])).catch(() => {});
    throw error;
  }
  // The window starts: everything below measures it, not the warm-up.
  const [before, countersBefore, started, cpuWatch] = await (early ?? startMeasuring()).catch(
    async (error: unknown) => {
      monitor.stop();
      await stopAll(processes);
      throw error;
    },
  );
  collector = started;
  cpuWatch.watchLoadGenerator(processes);
  const faultInfo: Record<string, unknown> = {};
  const faultTask = run.fault
    ? injectFault(run.fault, durationSeconds, originMs, db!, held.proxy, faultInfo, log)
    : undefined;
  // The window ends when the last segment's does (or earlier, when k6 ends first: Ctrl-C, an abort):
  // everything that measures it stops there, while k6 finishes its in-flight iterations (graceful
  // stop), which no figure counts.
  const segmentEndsMs = segmentStartsMs.map((s) => s + durationSeconds * 1000);
  const allDone = Promise.all(processes.map((p) => p.done));
  await untilOrDone(Math.max(...segmentEndsMs), allDone);
  const interrupted = live.signal?.aborted === true;
  const ranSeconds = interrupted
    ? Math.min(durationSeconds, Math.round((Date.now() - originMs) / 100) / 10)
    : durationSeconds;
  const cpu = cpuWatch.stop();
  const server = await collector.stop();
  const after = db ? await statementTotals(db.url) : null;
  const database = databaseActivityBetween(countersBefore, db ? await readDatabaseCounters(db.url) : null);
  const codes = await allDone;
  monitor.stop();
  await faultTask;
  const targetHealthy = held.target ? await healthy(held.target.url) : null;
  return {
    originMs,
    segmentStartsMs,
    segmentEndsMs,
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
