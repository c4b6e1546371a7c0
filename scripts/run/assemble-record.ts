import { join } from 'node:path';
import { maskUrl } from '../../core/redact.ts';
import { RUN_FILES, type RunRecord, RunRecordSchema, type SeriesSample } from '../../core/run-record.ts';
import { iterationSummary, type MergedK6, mergeRawOutputs } from '../k6/aggregate.ts';
import { K6_VERSION } from '../k6/binary.ts';
import type { Threshold } from '../k6/thresholds.ts';
import { recordFaultOutcome } from './fault-outcome.ts';
import { gzipConcat } from './gzip-concat.ts';
import { withCpuSeries } from './host-cpu-sampler.ts';
import { EXIT_INTERRUPTED } from './interrupt.ts';
import type { Measurement } from './measure-load.ts';
import { notMeasuredOf } from './not-measured.ts';
import type { K6Plan } from './plan.ts';
import { buildSeries, gitInfo, kneeOf, machineInfo, queryKindsBetween } from './record.ts';
import type { RunCpuResult } from './run-cpu-watch.ts';
import { ROOT, type RunOptions } from './run-options.ts';
import { measuredSyncWork } from './sync-work.ts';
import { targetGcOverWindow } from './target-gc.ts';
import { targetLoopDelayOverWindow } from './target-loop-delay.ts';
import type { ValidRun } from './validate-run.ts';

/** Everything a run measured, gathered for {@link assembleRecord}. */
export interface RunParts {
  dir: string;
  options: RunOptions;
  run: ValidRun;
  plan: K6Plan;
  baseUrl: string;
  started: Date;
  ended: Date;
  merged: MergedK6;
  /** What k6 scheduled: iterations per second and the VUs it may allocate. */
  load: { targetRate: number; allocatedVUs: number };
  /** k6's exit codes, one per segment. */
  codes: number[];
  sync: RunRecord['sync'];
  queryKinds: RunRecord['queryKinds'];
  cpu: RunCpuResult;
  database: RunRecord['database'] | null;
  faultInfo: Record<string, unknown>;
  /** Notes gathered so far; the verdict's notes are added. */
  notes: string[];
  /** Server-side figures the target did not expose (scripts/run/not-measured.ts). */
  notMeasured: string[];
  /** Ctrl-C stopped the load after `ranSeconds` (the planned duration otherwise). */
  interrupted: boolean;
  ranSeconds: number;
  /** Epoch ms the measured window started (after the warm-up): second 0 of the series. */
  originMs: number;
  /** Each segment's measured window, epoch ms: its samples in [fromMs, untilMs) count. */
  windows: { fromMs: number; untilMs: number }[];
}

/**
 * The run record (core/run-record.ts) from what was measured: load-generator saturation, threshold
 * results, the knee of a ramp and the exit status are decided here, and the record is validated.
 * Thresholds are judged on the merged samples of the measured window, never by k6's exit code 99
 * (k6 judges the whole run, the warm-up too); another k6 exit code is the record's exit status.
 */
export function assembleRecord(parts: RunParts): RunRecord {
  const { options, run, merged, notes, cpu } = parts;
  const machine = machineInfo();
  const lg = cpu.loadGenerator;
  // k6 shares the machine with the target: 85% of all cores is where its own timing starts to slip.
  const saturated =
    lg.mean >= 0.85 * machine.cores * 100 ||
    (merged.iterations.dropped > 0 &&
      merged.peakVUs >= parts.load.allocatedVUs &&
      parts.load.allocatedVUs > 0);
  if (saturated) notes.push('load generator saturated: results understate capacity');
  if (merged.iterations.dropped > 0)
    notes.push(`${merged.iterations.dropped} iterations dropped (not started)`);
  const thresholds = Object.fromEntries(
    Object.entries(merged.thresholds).map(([key, list]) => [key, { ok: list.every((t) => t.ok) }]),
  );
  const thresholdsOk = Object.values(thresholds).every((t) => t.ok);
  const k6Failed = parts.codes.find((c) => c !== 0 && c !== 99);
  if (thresholdsOk && parts.codes.includes(99))
    notes.push(
      'k6 judged a threshold failed over its whole run, warm-up included; the measured window meets them all',
    );
  let knee: RunRecord['knee'];
  if (run.scenario === 'ramp-to-knee') {
    const env = parts.plan.env;
    knee = kneeOf(merged.series, Number(env.P95_BUDGET_MS ?? 1000), Number(env.ERROR_BUDGET ?? 0.05));
    notes.push(`knee: ${knee.iterationsPerSecond} iterations/s (${knee.requestsPerSecond} requests/s)`);
  }
  if (parts.interrupted)
    notes.push(`interrupted (Ctrl-C) after ${parts.ranSeconds} s of ${options.durationSeconds} s`);
  else if (k6Failed !== undefined) notes.push(`k6 exited with ${k6Failed} (see work/k6-*.log)`);

  return RunRecordSchema.parse({
    schemaVersion: 1,
    id: parts.dir.split('/').pop()!,
    scenario: run.scenario,
    users: options.users,
    profile: run.profile,
    policy: options.policy,
    arrivalRates: parts.plan.arrivalRates,
    target: { kind: run.local ? 'local' : 'remote', url: maskUrl(parts.baseUrl), schema: run.schema },
    k6: {
      version: K6_VERSION,
      segments: run.segments,
      windows: parts.windows.map((w) => ({
        from: new Date(w.fromMs).toISOString(),
        until: new Date(w.untilMs).toISOString(),
      })),
    },
    machine: {
      ...machine,
      ...(run.dbCores === undefined ? {} : { dbCores: run.dbCores }),
      ...(options.busyCores === undefined ? {} : { busyCores: options.busyCores }),
    },
    git: gitInfo(ROOT),
    startedAt: parts.started.toISOString(),
    endedAt: parts.ended.toISOString(),
    measuredFrom: new Date(parts.originMs).toISOString(),
    durationSeconds: parts.ranSeconds,
    ...(run.warmupSeconds > 0 ? { warmupSeconds: run.warmupSeconds } : {}),
    endpoints: merged.endpoints,
    iterations: iterationSummary(merged, parts.ranSeconds, parts.load.targetRate),
    sync: parts.sync,
    queryKinds: parts.queryKinds,
    loadGenerator: { cpuPercentMean: lg.mean, cpuPercentMax: lg.max, saturated, maxVUs: merged.maxVUs },
    ...(cpu.runCpu ? { cpu: cpu.runCpu } : {}),
    ...(parts.database ? { database: parts.database } : {}),
    thresholds,
    ...(Object.keys(merged.classes).length > 0 ? { classes: merged.classes } : {}),
    ...(Object.keys(merged.batches).length > 0 ? { batches: merged.batches } : {}),
    ...(knee ? { knee } : {}),
    ...(run.fault ? { faults: { [run.fault]: parts.faultInfo } } : {}),
    notMeasured: parts.notMeasured,
    status: parts.interrupted ? 'interrupted' : 'completed',
    notes,
    exitStatus: parts.interrupted ? EXIT_INTERRUPTED : (k6Failed ?? (thresholdsOk ? 0 : 99)),
  });
}

/** A finished run: its record, per-second series and raw latencies, ready to be written. */
export interface RunResult {
  record: RunRecord;
  series: SeriesSample[];
  latency: Record<string, number[]>;
}

/**
 * Merges the segments' raw outputs from the measured window's start on (and keeps them whole, warm-up
 * included, as one k6.json.gz in the run folder), builds the per-second series, the sync work and the
 * fault outcome, and assembles the record.
 */
export async function recordOfRun(
  parts: Omit<
    RunParts,
    | 'merged'
    | 'codes'
    | 'sync'
    | 'queryKinds'
    | 'cpu'
    | 'database'
    | 'faultInfo'
    | 'ended'
    | 'notMeasured'
    | 'interrupted'
    | 'ranSeconds'
    | 'originMs'
    | 'windows'
  >,
  measured: Measurement,
  thresholds: Threshold[],
): Promise<RunResult> {
  const { originMs, rawFiles, server, cpu } = measured;
  // An interrupted run's window ended when k6 stopped (its `ranSeconds`), with nothing after it to cut.
  const windows = measured.segmentStartsMs.map((fromMs, i) => ({
    fromMs,
    untilMs: measured.interrupted ? fromMs + measured.ranSeconds * 1000 : measured.segmentEndsMs[i]!,
  }));
  const ends = measured.interrupted ? [] : measured.segmentEndsMs;
  const merged = await mergeRawOutputs(rawFiles, thresholds, originMs, measured.segmentStartsMs, ends);
  await gzipConcat(rawFiles, join(parts.dir, RUN_FILES.rawK6));
  const series = withCpuSeries(
    buildSeries(merged.series, server.samples, originMs),
    cpu.summary?.samples ?? [],
    originMs,
  );
  // The target's GC pauses and how late its event loop ran its delay monitor's ticks, over the whole
  // measured window (every segment's), when it exported them.
  const windowFromMs = Math.min(...windows.map((w) => w.fromMs));
  const windowUntilMs = Math.max(...windows.map((w) => w.untilMs));
  const targetGc = targetGcOverWindow(server.samples, windowFromMs, windowUntilMs);
  const targetLoopDelay = targetLoopDelayOverWindow(server.samples, windowFromMs, windowUntilMs);
  const runCpu = cpu.runCpu
    ? {
        ...cpu.runCpu,
        ...(targetGc ? { targetGc } : {}),
        ...(targetLoopDelay ? { targetLoopDelay } : {}),
      }
    : cpu.runCpu;
  const queryKinds = queryKindsBetween(server.first, server.last);
  const exposedKinds = server.last?.queriesByKind ?? {};
  const sync = measuredSyncWork(
    parts.plan.syncMode,
    merged,
    queryKinds,
    measured.statements,
    parts.notes,
    Object.keys(exposedKinds).length > 0,
  );
  const { before, after } = measured.statements;
  const notMeasured = notMeasuredOf({
    series,
    queryKinds: exposedKinds,
    statementTotals: before !== null && after !== null,
    database: measured.database !== null,
    syncs: sync !== null,
    cpu: cpu.runCpu ?? null,
  });
  const { fault } = parts.run;
  const { faultInfo, targetHealthy } = measured;
  await recordFaultOutcome(
    fault,
    faultInfo,
    measured.databaseUrl,
    merged,
    series,
    targetHealthy,
    parts.notes,
  );
  const record = assembleRecord({
    ...parts,
    ended: measured.ended,
    merged,
    codes: measured.codes,
    sync,
    queryKinds,
    cpu: { ...cpu, runCpu },
    database: measured.database,
    faultInfo,
    notMeasured,
    interrupted: measured.interrupted,
    ranSeconds: measured.ranSeconds,
    originMs,
    windows,
  });
  return { record, series, latency: merged.latency };
}
