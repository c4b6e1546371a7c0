import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { RunRecord, SeriesSample } from '../core/run-record.ts';
import type { ModelContext } from './analytic.ts';
import { stolenCoresOf } from './calibrate-cpu.ts';
import type { Calibration } from './calibration.ts';
import type { CpuWait } from './cpu.ts';
import { defaultTargets } from './defaults.ts';
import { atKneeProbeSpeed, atMachineSpeed, speedRatioOf } from './machine-speed.ts';
import { type MetastableLoad, metastableLoad } from './metastable-load.ts';
import type { PopulationMixture } from './population-mixture.ts';
import type { ResourceName } from './prediction.ts';
import { latency, latencyQuantile } from './queueing.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { endpointShedShares } from './rig-admission.ts';
import { limitsDatabase } from './rig-db-cpu.ts';
import { atRunCpuSpeed, busyMsPerIteration, hostMsPerIteration } from './run-cpu-speed.ts';
import {
  predictRun,
  type RunPrediction,
  type SaturationKnee,
  saturationKnee,
  scenarioKnee,
} from './run-prediction.ts';
import { seriesMean } from './series-mean.ts';

// `atlas-cap validate`: a calibration from some runs, judged on others it was not fitted on, each
// predicted as it was run (run-prediction.ts). Pure: the CLI reads the records and prints.

/** One held-out run to predict: its record, its per-second series, its folder's name. */
export interface HeldOutRun {
  name: string;
  record: RunRecord;
  series: SeriesSample[];
  /** The run's profile and policy, parsed from the record (they stand alone). */
  profile: Profile;
  policy: Policy;
}

/** Measured or predicted figures of one run (the issue's JSON shape, plus dropped iterations). */
export interface LevelFigures {
  throughput: number;
  p95Ms: Record<string, number | null>;
  busy: Record<string, number>;
  droppedIterations: number;
  /**
   * Per endpoint, the share of its requests the target shed with 503 at once (its admission limit or
   * pool: backend/admission.ts): measured from the record's statuses, predicted on the rig past the
   * sockets' knee (rig-admission.ts). Absent when none.
   */
  shedShare?: Record<string, number>;
  /**
   * Iterations in flight, i.e. k6's busy VUs: measured as the iteration rate × (mean iteration duration
   * + mean arrival delay, which holds a VU too; null when the record has no duration), predicted as the
   * streams' busy VUs. Near the knee a run's
   * syncs in flight stray far above the model's (docs/simulator.md, "Session 12").
   */
  iterationsInFlight: number | null;
  /**
   * Measured only: the target's own statement time per iteration, ms: every statement from being sent
   * to its result back on the event loop (the record's `queryKinds`, an exact total where the pool's
   * busy is a once-a-second sample), i.e. a connection's hold less its checkouts and the gaps between
   * one session's statements. Absent when the target exported no statement counters.
   */
  statementMsPerIteration?: number;
  /**
   * Rig: the target's event loop. Measured from its main thread's schedstat (run record
   * `cpu.targetThread`), predicted as `app.loop` at the mean-value fixed point of the achieved rate.
   */
  loop?: LoopFigures;
  /**
   * Pages an iteration read into shared_buffers from outside them: measured, the record's
   * `database.blocksRead` over its completed iterations; predicted, the working-set model's at the run's
   * data (rig-data-size.ts). Absent without them.
   */
  pageReadsPerIteration?: number;
}

/** The event loop's share of the wall clock it is busy or waiting for a core, its CPU, and their ratio. */
export interface LoopFigures {
  /** CPU plus run-queue wait per second: the loop's utilisation as a one-server queue sees it. */
  wallShare: number;
  /** Cores of CPU the thread ran (measured: its main thread; predicted: the target's CPU). */
  cpuCores: number;
  /** Wall time per CPU time of the thread (wallShare / cpuCores). */
  stretch: number;
  /**
   * The 99th percentile of the wait for the loop a request's pass meets, ms: measured, how late the loop
   * ran its delay monitor's ticks (the record's `cpu.targetLoopDelay`, the mean over its seconds of
   * each one's p99); predicted, `app.loop`'s wait per pass as the latency model draws it (with its
   * probability of waiting, exponential, and its stall while the thread is preempted, kept apart).
   * Only the tail is compared: below a millisecond the monitor reads libuv's millisecond timers (a
   * tick due while the loop sleeps wakes up to ~1 ms late).
   */
  waitP99Ms?: number;
  /** Measured: the thread's involuntary context switches a second (the record's `cpu.targetThread`). */
  preemptionsPerSecond?: number;
  /**
   * A preemption's wait, ms: measured, the thread's run-queue time over its involuntary switches (an
   * upper bound: its wake-ups' waits are in that time too); predicted, the stall's mean turn
   * (event-loop.ts LOOP_PREEMPTION_MS).
   */
  preemptionMs?: number;
}

/**
 * The p99 of a pass's wait for the loop as the latency model draws it (queueing.ts `latency`: the
 * waits merged into one exponential met with a probability, a stall kept apart): 0 when waits are met
 * by 1 % of passes or fewer.
 */
export function loopWaitP99Ms(waits: CpuWait[]): number {
  return latencyQuantile(latency(0, waits, 0, 1), 0.99);
}

/** One held-out run: measured beside predicted. */
export interface ValidationLevel {
  run: string;
  scenario: string;
  users: number;
  measured: LevelFigures;
  predicted: LevelFigures & {
    saturated: boolean;
    askedThroughput: number;
    /**
     * Rig with syncs as chains: the last state the mean-value model carries (syncs in flight, syncs per
     * second) and the share of the time and of the sync requests its population spends past it, where
     * the mixture holds that rate (population-mixture.ts).
     */
    population?: Pick<PopulationMixture, 'lastState' | 'beyondLastState'>;
    /**
     * Predicted at the run's own CPU speed (RunSpeed `run-cpu`): the factor on the calibration's
     * durations that makes its host CPU per iteration the measured one.
     */
    cpuScale?: number;
  };
}

/** The whole validation: the knee of the first held-out run's traffic and every level. */
export interface ValidationReport {
  /** The decision rule's knee (80 % headroom, budgets) of the first held-out run's traffic. */
  knee: { users: number | null; bottleneck: ResourceName | null; limitedBy: string };
  /** Where that traffic, run as it was run, stops being carried (no resource saturated, k6 keeping up). */
  saturation?: SaturationKnee;
  /**
   * On the rig: the lowest users from which the pool, once full, stays full up to the saturation knee
   * (metastable-load.ts; its collapse is metastable there). Absent on a deployment or without a knee.
   */
  metastable?: MetastableLoad;
  placement: 'rig' | 'deployment';
  levels: ValidationLevel[];
}

/** What a run measured: iterations/s, p95 per endpoint, busy pool, sockets, host, k6, target (and limited database) cores, dropped. */
export function measuredFigures(record: RunRecord, series: SeriesSample[]): LevelFigures {
  const p95Ms: Record<string, number | null> = {};
  for (const [e, s] of Object.entries(record.endpoints)) if (s.count > 0) p95Ms[e] = s.p95;
  const busy: Record<string, number> = {};
  const pool = seriesMean(series, (s) => s.pool?.inUse);
  if (pool !== null) busy['db.pool'] = pool;
  const up = seriesMean(series, (s) => s.upstream?.inUse);
  if (up !== null) busy['upstream.sockets'] = up;
  const cpu = record.cpu;
  if (cpu && cpu.windowSeconds > 0) {
    busy['host.cpu'] = cpu.host.cpuSeconds / cpu.windowSeconds;
    if (cpu.loadGenerator) busy['k6.cpu'] = cpu.loadGenerator.cpuSeconds / cpu.windowSeconds;
    // The target's one thread: its process's CPU (GC and libuv threads included: an upper bound).
    if (cpu.target) busy['app.loop'] = cpu.target.cpuSeconds / cpu.windowSeconds;
    // The database server limited to fewer cores (--db-cores): its cores are a resource of their own.
    if (cpu.database && limitsDatabase(record.machine.cores, record.machine.dbCores))
      busy['db.cpu'] = cpu.database.cpuSeconds / cpu.windowSeconds;
  }
  const thread = cpu?.targetThread;
  const delay = cpu?.targetLoopDelay;
  const loop =
    thread && thread.cpuSeconds > 0
      ? {
          wallShare: (thread.cpuSeconds + thread.runQueueSeconds) / thread.windowSeconds,
          cpuCores: thread.cpuSeconds / thread.windowSeconds,
          stretch: (thread.cpuSeconds + thread.runQueueSeconds) / thread.cpuSeconds,
          ...(delay ? { waitP99Ms: delay.p99Ms } : {}),
          ...(thread.involuntarySwitches
            ? {
                preemptionsPerSecond: thread.involuntarySwitches / thread.windowSeconds,
                preemptionMs: (thread.runQueueSeconds * 1000) / thread.involuntarySwitches,
              }
            : {}),
        }
      : null;
  const kinds = Object.values(record.queryKinds ?? {});
  const statementMs = kinds.reduce((sum, k) => sum + k.calls * k.meanMs, 0);
  const shed: Record<string, number> = {};
  for (const [e, s] of Object.entries(record.endpoints))
    if (s.count > 0 && (s.statuses['503'] ?? 0) > 0) shed[e] = s.statuses['503']! / s.count;
  return {
    throughput: record.iterations.rate,
    p95Ms,
    busy,
    ...(Object.keys(shed).length > 0 ? { shedShare: shed } : {}),
    ...(loop ? { loop } : {}),
    ...(kinds.length > 0 && record.iterations.completed > 0
      ? { statementMsPerIteration: statementMs / record.iterations.completed }
      : {}),
    ...(record.database && record.iterations.completed > 0
      ? { pageReadsPerIteration: record.database.blocksRead / record.iterations.completed }
      : {}),
    droppedIterations: record.iterations.dropped,
    iterationsInFlight:
      record.iterations.meanDurationMs === undefined
        ? null
        : (record.iterations.rate *
            (record.iterations.meanDurationMs + (record.iterations.meanArrivalDelayMs ?? 0))) /
          1000,
  };
}

/**
 * The model context of a run's machine as it usually is: the rig's cores (and the database server's,
 * when the run limited it: `machine.dbCores`) when the calibration measured CPU, with the calibration's
 * usual stolen time; else database cores. What a knee of that machine is predicted on.
 */
export function machineContext(cal: Calibration, record: RunRecord): ModelContext {
  const { cores, dbCores } = record.machine;
  return {
    calibration: cal,
    targets: defaultTargets(),
    cores,
    abuse: NO_ABUSE,
    placement: cal.cpu
      ? {
          kind: 'rig',
          cores,
          ...(dbCores !== undefined ? { dbCores } : {}),
          ...(record.database ? { sharedBuffersBytes: record.database.sharedBuffersBytes } : {}),
        }
      : { kind: 'deployment' },
    appCores: null,
  };
}

/**
 * The model context of a run as it was run: its machine (machineContext) at the speed its system calls
 * showed (machine-speed.ts: the calibration's durations stretched by the run's syscall probe over the
 * fit runs'), with the cores the hypervisor stole during that run, when it recorded them (another
 * guest's load: outside the system under test, like the machine's cores), in place of the
 * calibration's usual stolen time.
 */
export function runContext(cal: Calibration, record: RunRecord): ModelContext {
  const ratio = speedRatioOf(cal, record);
  const ctx = machineContext(ratio === null ? cal : atMachineSpeed(cal, ratio), record);
  const stolen = stolenCoresOf(record);
  return ctx.placement?.kind === 'rig' && stolen !== null
    ? { ...ctx, placement: { ...ctx.placement, stolenCores: stolen } }
    : ctx;
}

/** Predicted figures of a run prediction, in the report's shape. */
function predictedFigures(p: RunPrediction): ValidationLevel['predicted'] {
  const loop = p.prediction.resources.find((r) => r.name === 'app.loop');
  const cpu = loop?.loopCpuCores ?? loop?.threadCpuCores;
  const waitP99Ms = loop?.loopPassWaits?.length ? loopWaitP99Ms(loop.loopPassWaits) : null;
  const preemptionMs = loop?.loopPassWaits?.find((w) => w.stall)?.meanMs;
  return {
    ...(loop && cpu && cpu > 0
      ? {
          loop: {
            wallShare: loop.utilisation,
            cpuCores: cpu,
            stretch: loop.utilisation / cpu,
            ...(waitP99Ms !== null ? { waitP99Ms } : {}),
            ...(preemptionMs !== undefined ? { preemptionMs } : {}),
          },
        }
      : {}),
    throughput: p.throughput,
    askedThroughput: p.askedThroughput,
    p95Ms: p.p95Ms,
    busy: p.busy,
    ...(p.admission
      ? {
          shedShare: endpointShedShares(p.admission.shedShare, Object.keys(p.p95Ms)),
        }
      : {}),
    droppedIterations: p.droppedIterations,
    ...(p.pageReadsPerIteration !== undefined ? { pageReadsPerIteration: p.pageReadsPerIteration } : {}),
    iterationsInFlight: p.streams.reduce((sum, o) => sum + o.busyVUs, 0),
    saturated: p.saturated,
    ...(p.population
      ? { population: { lastState: p.population.lastState, beyondLastState: p.population.beyondLastState } }
      : {}),
  };
}

/**
 * The machine speed a held-out run is predicted at: `probe`, its syscall probe's (runContext); or
 * `run-cpu`, the speed its own host CPU per iteration shows (run-cpu-speed.ts), on top of the probe's.
 */
export type RunSpeed = 'probe' | 'run-cpu';

/** A held-out run's measured figures beside its prediction at `speed`, and the CPU scale applied. */
export interface HeldOutPrediction {
  measured: LevelFigures;
  prediction: RunPrediction;
  /** The factor on the calibration's durations from the run's own CPU (1 at `probe` speed). */
  scale: number;
}

/** Predicts one held-out run as it was run, at `speed` (RunSpeed), beside its measured figures. */
export function predictHeldOut(
  cal: Calibration,
  h: HeldOutRun,
  speed: RunSpeed = 'probe',
): HeldOutPrediction {
  const measured = measuredFigures(h.record, h.series);
  const predict = (ctx: ModelContext) =>
    predictRun(
      {
        scenario: h.record.scenario,
        users: h.record.users,
        profile: h.profile,
        policy: h.policy,
        durationSeconds: h.record.durationSeconds,
      },
      ctx,
    );
  const ctx = runContext(cal, h.record);
  if (speed === 'probe') return { measured, prediction: predict(ctx), scale: 1 };
  const at = atRunCpuSpeed(ctx, hostMsPerIteration(measured), predict);
  return { measured, prediction: at.prediction, scale: at.scale };
}

/** Predicts every held-out run under `cal` and sets it beside what it measured. */
export function validateRuns(
  cal: Calibration,
  heldOut: HeldOutRun[],
  speed: RunSpeed = 'probe',
): ValidationReport {
  if (heldOut.length === 0) throw new RangeError('validate needs at least one held-out run');
  const levels = heldOut.map((h): ValidationLevel => {
    const { measured, prediction, scale } = predictHeldOut(cal, h, speed);
    return {
      run: h.name,
      scenario: h.record.scenario,
      users: h.record.users,
      measured,
      predicted: {
        ...predictedFigures(prediction),
        ...(speed === 'run-cpu' ? { cpuScale: scale } : {}),
      },
    };
  });
  const first = heldOut[0]!;
  const kneeCal = atKneeProbeSpeed(cal);
  const knee = scenarioKnee(
    first.record.scenario,
    first.profile,
    first.policy,
    first.record.users,
    machineContext(kneeCal, first.record),
  );
  const kneeCtx = machineContext(kneeCal, first.record);
  const saturation = saturationKnee(first.record.scenario, first.profile, first.policy, kneeCtx);
  const metastable =
    cal.cpu && saturation.users !== null
      ? metastableLoad(first.record.scenario, first.profile, first.policy, kneeCtx, saturation.users)
      : undefined;
  return {
    knee,
    saturation,
    ...(metastable ? { metastable } : {}),
    placement: cal.cpu ? 'rig' : 'deployment',
    levels,
  };
}

function num(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

function rel(predicted: number | null | undefined, measured: number | null | undefined): string {
  if (predicted === null || predicted === undefined || !measured) return '';
  const r = (predicted - measured) / measured;
  return ` (${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%)`;
}

/**
 * A level's host CPU and connection hold per iteration, ms, measured and predicted: each busy figure
 * over its throughput (host.cpu and db.pool), so a miss shows whether the work or its wait moved.
 * Null when the level has neither.
 */
export function perIterationLine(l: ValidationLevel): string | null {
  const parts = (
    [
      ['host.cpu', 'host CPU'],
      ['db.pool', 'a connection held'],
    ] as const
  ).flatMap(([r, name]) => {
    const m = busyMsPerIteration(l.measured, r);
    const p = busyMsPerIteration(l.predicted, r);
    return m === null && p === null ? [] : [`${name} measured ${num(m)}  predicted ${num(p)}${rel(p, m)} ms`];
  });
  // The hold's exact counterpart beside the sampled pool: the statements' own time (the model's hold has
  // no checkout cost on the rig, so it compares with the prediction directly).
  const statements = l.measured.statementMsPerIteration;
  if (statements !== undefined) {
    const p = busyMsPerIteration(l.predicted, 'db.pool');
    parts.push(`its statements' own time measured ${num(statements)}${rel(p, statements)} ms`);
  }
  return parts.length === 0 ? null : `  per iteration      ${parts.join('; ')}`;
}

/**
 * A level's line on the syncs' population: the last state the mean-value model carries and how much
 * of the population (time, sync requests) lies past it, where the mixture holds that state's rate and
 * stretches the waits. Null without a population.
 */
export function populationLine(l: ValidationLevel): string | null {
  const p = l.predicted.population;
  if (!p) return null;
  const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
  return `  syncs' population  the model carries up to ${num(p.lastState.inFlight)} in flight finishing ${num(p.lastState.syncsPerSecond)} syncs/s (asked ${num(l.predicted.askedThroughput)}); past that, where it holds that rate: ${pct(p.beyondLastState.timeShare)} of the time, ${pct(p.beyondLastState.requestShare)} of the sync requests`;
}

/**
 * A level's page reads from outside shared_buffers an iteration, measured and predicted at the run's
 * data (the working-set model, rig-data-size.ts). Null when neither side has them.
 */
export function pageReadsLine(l: ValidationLevel): string | null {
  const m = l.measured.pageReadsPerIteration;
  const p = l.predicted.pageReadsPerIteration;
  if (m === undefined && p === undefined) return null;
  return `  page reads         measured ${num(m ?? null).padStart(9)}  predicted ${num(p ?? null).padStart(9)}  an iteration, from outside shared_buffers (the predicted ones priced into the sync statements)`;
}

/**
 * A level's event-loop line: the loop's wall share (CPU and wait for a core), measured from its
 * thread's schedstat and predicted at the mean-value fixed point. Null when neither side has it.
 */
export function loopLine(l: ValidationLevel): string | null {
  const m = l.measured.loop;
  const p = l.predicted.loop;
  if (!m && !p) return null;
  const side = (f: LoopFigures | undefined): string =>
    f ? `${num(f.wallShare)} (CPU ${num(f.cpuCores)} × stretch ${num(f.stretch)})` : 'n/a';
  const line = `  event loop         wall share measured ${side(m)}  predicted ${side(p)}, at the fixed point of the achieved rate`;
  const p99 = p?.waitP99Ms === undefined ? 'n/a' : p.waitP99Ms.toFixed(2);
  const wait =
    m?.waitP99Ms === undefined
      ? ''
      : `; the wait a pass meets, p99: measured ${m.waitP99Ms.toFixed(2)} ms (the loop's delay monitor), predicted ${p99}`;
  const turn = p?.preemptionMs === undefined ? 'n/a' : p.preemptionMs.toFixed(3);
  const preempted =
    m?.preemptionsPerSecond === undefined || m.preemptionMs === undefined
      ? ''
      : `; preempted ${m.preemptionsPerSecond.toFixed(0)} times a second, its run-queue time ${m.preemptionMs.toFixed(3)} ms a preemption (at most: wake-ups' waits included), the model's turn ${turn}`;
  return `${line}${wait}${preempted}`;
}

/**
 * A level's shed line: per endpoint, the share of its requests answered 503 at once, measured and
 * predicted (the target's admission limit past the sockets' knee). Null when neither side sheds.
 */
export function shedLine(l: ValidationLevel): string | null {
  const m = l.measured.shedShare ?? {};
  const p = l.predicted.shedShare ?? {};
  const endpoints = [...new Set([...Object.keys(m), ...Object.keys(p)])].sort();
  if (endpoints.length === 0) return null;
  const pct = (x: number | undefined): string => `${((x ?? 0) * 100).toFixed(1)}%`;
  return `  shed (503)         ${endpoints.map((e) => `${e} measured ${pct(m[e])} predicted ${pct(p[e])}`).join('; ')}`;
}

/**
 * Where the rig's full pool stays full (metastable-load.ts): from M users to the saturation knee K a
 * burst that fills the pool leaves it collapsed; below M the pool drains back to calm.
 */
export function metastableLine(m: MetastableLoad): string {
  const cost = `the database's CPU per statement ×${m.collapsedCpuFactor.toFixed(2)} with every connection busy`;
  if (m.users === null)
    return `pool collapse: a full pool drains at every load up to the saturation knee (${m.kneeUsers} users; ${cost})`;
  return `pool collapse: metastable from ${m.users} users (${(m.users / m.kneeUsers).toFixed(2)} × the saturation knee): from there a burst that fills the pool leaves it full (${m.saturatedResources.join(', ')} saturated in the collapsed state; ${cost}); below it the pool drains back`;
}

/** The table `validate` prints (a string: measurement and output never mix). */
export function formatValidation(report: ValidationReport): string {
  const k = report.knee;
  const lines = [
    `model: ${report.placement}; predicted knee of ${report.levels[0]!.scenario}: ${k.users === null ? 'none' : `${k.users} users`}${k.bottleneck ? `, bottleneck ${k.bottleneck}` : ''} (${k.limitedBy})`,
    ...(report.saturation
      ? [
          `saturation knee (the run as run stops carrying its load): ${report.saturation.users ?? 'none'} users, bottleneck ${report.saturation.bottleneck ?? 'none'} (${report.saturation.limitedBy})`,
        ]
      : []),
    ...(report.metastable ? [metastableLine(report.metastable)] : []),
    '',
  ];
  for (const l of report.levels) {
    const x = k.users ? ` (${(l.users / k.users).toFixed(2)} × knee)` : '';
    lines.push(
      `${l.run}: ${l.scenario}, ${l.users} users${x}${l.predicted.saturated ? ', predicted SATURATED' : ''}`,
    );
    lines.push(
      `  throughput        measured ${num(l.measured.throughput).padStart(9)}  predicted ${num(l.predicted.throughput).padStart(9)}${rel(l.predicted.throughput, l.measured.throughput)}  iterations/s (asked ${num(l.predicted.askedThroughput)})`,
    );
    const endpoints = [
      ...new Set([...Object.keys(l.measured.p95Ms), ...Object.keys(l.predicted.p95Ms)]),
    ].sort();
    for (const e of endpoints)
      lines.push(
        `  p95 ${e.padEnd(20)}measured ${num(l.measured.p95Ms[e]).padStart(9)}  predicted ${(l.predicted.p95Ms[e] === null ? 'unbounded' : num(l.predicted.p95Ms[e])).padStart(9)}${rel(l.predicted.p95Ms[e], l.measured.p95Ms[e])}  ms`,
      );
    const resources = [
      ...new Set([...Object.keys(l.measured.busy), ...Object.keys(l.predicted.busy)]),
    ].sort();
    for (const r of resources)
      lines.push(
        `  busy ${r.padEnd(19)}measured ${num(l.measured.busy[r]).padStart(9)}  predicted ${num(l.predicted.busy[r]).padStart(9)}`,
      );
    const perIteration = perIterationLine(l);
    if (perIteration) lines.push(perIteration);
    if (l.predicted.cpuScale !== undefined)
      lines.push(
        `  at the run's CPU   durations ×${l.predicted.cpuScale.toFixed(3)} of the calibration's, so its host CPU per iteration is the measured (--speed run-cpu)`,
      );
    lines.push(
      `  dropped iterations measured ${String(l.measured.droppedIterations).padStart(8)}  predicted ${num(l.predicted.droppedIterations, 0).padStart(9)}`,
    );
    lines.push(
      `  in flight (k6 VUs) measured ${num(l.measured.iterationsInFlight).padStart(9)}  predicted ${num(l.predicted.iterationsInFlight).padStart(9)}  iterations`,
    );
    const shed = shedLine(l);
    if (shed) lines.push(shed);
    const reads = pageReadsLine(l);
    if (reads) lines.push(reads);
    const loop = loopLine(l);
    if (loop) lines.push(loop);
    const population = populationLine(l);
    if (population) lines.push(population);
  }
  return `${lines.join('\n')}\n`;
}
