import { describe, expect, it } from 'vitest';
import type { RunCpu } from '../core/run-record.ts';
import { syntheticDatabase, syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import {
  loopLine,
  loopWaitP99Ms,
  measuredFigures,
  pageReadsLine,
  perIterationLine,
  populationLine,
  shedLine,
  type ValidationLevel,
} from './validate.ts';

// The per-iteration line of validate's table (and bench:knee's): busy figures over throughput, by hand.

function level(measuredBusy: Record<string, number>, predictedBusy: Record<string, number>): ValidationLevel {
  const figures = { p95Ms: {}, droppedIterations: 0, iterationsInFlight: null };
  return {
    run: 'held-full-sync-10346u-r1',
    scenario: 'full-sync',
    users: 10346,
    measured: { ...figures, throughput: 34.5, busy: measuredBusy },
    predicted: { ...figures, throughput: 30, busy: predictedBusy, saturated: false, askedThroughput: 34.5 },
  };
}

describe('perIterationLine', () => {
  it("gives the host's CPU and a connection's hold per iteration, measured and predicted", () => {
    // 1.38 cores at 34.5 syncs/s is 40 ms a sync; 1.5 at 30 is 50 (+25 %). The pool: 1.035 busy at
    // 34.5/s holds 30 ms a sync, 2.4 at 30/s 80 (+166.7 %).
    const line = perIterationLine(
      level({ 'host.cpu': 1.38, 'db.pool': 1.035 }, { 'host.cpu': 1.5, 'db.pool': 2.4 }),
    );
    expect(line).toBe(
      '  per iteration      host CPU measured 40.00  predicted 50.00 (+25.0%) ms; a connection held measured 30.00  predicted 80.00 (+166.7%) ms',
    );
  });

  it("sets the statements' own time (an exact total) beside the sampled pool, against the same prediction", () => {
    // The pool sampled 1.035 busy at 34.5/s: 30 ms a sync; the target's statements took 32 ms a sync
    // in all; the model holds 2.4 at 30/s: 80 ms, +150 % of 32.
    const l = level({ 'db.pool': 1.035 }, { 'db.pool': 2.4 });
    l.measured.statementMsPerIteration = 32;
    expect(perIterationLine(l)).toBe(
      "  per iteration      a connection held measured 30.00  predicted 80.00 (+166.7%) ms; its statements' own time measured 32.00 (+150.0%) ms",
    );
  });

  it('says n/a where one side has no figure, and nothing when neither resource is there', () => {
    expect(perIterationLine(level({ 'host.cpu': 0.69 }, {}))).toBe(
      '  per iteration      host CPU measured 20.00  predicted n/a ms',
    );
    expect(perIterationLine(level({ 'upstream.sockets': 3 }, { 'upstream.sockets': 3 }))).toBeNull();
  });
});

describe('populationLine', () => {
  it("gives the model's last carried state and the population's share past it", () => {
    const l = level({}, {});
    expect(populationLine(l)).toBeNull();
    l.predicted.population = {
      lastState: { inFlight: 6.123, syncsPerSecond: 49.734 },
      beyondLastState: { timeShare: 0.4012, requestShare: 0.0456 },
    };
    // Shares of 10 % or more in whole per cent, smaller ones to a tenth.
    expect(populationLine(l)).toBe(
      "  syncs' population  the model carries up to 6.12 in flight finishing 49.73 syncs/s (asked 34.50); past that, where it holds that rate: 40 % of the time, 4.6 % of the sync requests",
    );
  });
});

describe("a run's statements' own time", () => {
  it("is every kind's calls × mean time over the completed iterations, and absent without counters", () => {
    // 1,000 statements of 0.8 ms and 20 of 5 ms over 40 syncs: (800 + 100) / 40 = 22.5 ms a sync.
    const record = syntheticRunRecord({
      id: 'r',
      scenario: 'full-sync',
      users: 3000,
      endpoints: {},
      iterations: { completed: 40, dropped: 0, rate: 0.667, targetRate: 0.667 },
      queryKinds: {
        'select.messages': { calls: 1000, meanMs: 0.8 },
        'select.conversations': { calls: 20, meanMs: 5 },
      },
    });
    expect(measuredFigures(record, []).statementMsPerIteration).toBeCloseTo(22.5, 12);
    const without = syntheticRunRecord({ id: 'r', scenario: 'full-sync', users: 3000, endpoints: {} });
    expect(measuredFigures(without, [])).not.toHaveProperty('statementMsPerIteration');
  });
});

describe('the event loop line', () => {
  /** A run record whose target thread ran 24 s of CPU and waited 18 s on the run queue over 60 s. */
  const recordWithThread = (extra: { targetLoopDelay?: RunCpu['targetLoopDelay'] } = {}) =>
    syntheticRunRecord({
      id: 'r',
      scenario: 'launch-mix',
      users: 2000,
      endpoints: {},
      cpu: {
        windowSeconds: 60,
        host: { cpuSeconds: 90, cpuPercentMean: 150, cpuPercentMax: 160 },
        target: null,
        database: null,
        loadGenerator: null,
        runner: null,
        targetThread: { windowSeconds: 60, cpuSeconds: 24, runQueueSeconds: 18, timeslices: 90000 },
        ...extra,
      },
    });

  it("reads the loop's wall share from its thread's schedstat: CPU plus the wait for a core, per second", () => {
    // 24 s of CPU and 18 s on the run queue over 60 s: 0.4 cores, busy 0.7 of the time, ×1.75.
    const record = recordWithThread();
    const loop = measuredFigures(record, []).loop!;
    expect(loop.wallShare).toBeCloseTo(0.7, 12);
    expect(loop.cpuCores).toBeCloseTo(0.4, 12);
    expect(loop.stretch).toBeCloseTo(1.75, 12);
    const l = level({}, {});
    expect(loopLine(l)).toBeNull();
    l.measured.loop = loop;
    l.predicted.loop = { wallShare: 0.5, cpuCores: 0.42, stretch: 0.5 / 0.42 };
    expect(loopLine(l)).toBe(
      '  event loop         wall share measured 0.70 (CPU 0.40 × stretch 1.75)  predicted 0.50 (CPU 0.42 × stretch 1.19), at the fixed point of the achieved rate',
    );
  });

  it('reads the loop delay monitor’s p99 as the wait a pass meets, and prints it beside the model’s', () => {
    const record = recordWithThread({
      targetLoopDelay: { scrapes: 60, meanMs: 0.25, p99Ms: 3.5, maxMs: 12 },
    });
    const loop = measuredFigures(record, []).loop!;
    expect(loop.waitP99Ms).toBe(3.5);
    const l = level({}, {});
    l.measured.loop = loop;
    l.predicted.loop = {
      wallShare: 0.5,
      cpuCores: 0.42,
      stretch: 0.5 / 0.42,
      waitP99Ms: 0.92,
    };
    expect(loopLine(l)).toBe(
      "  event loop         wall share measured 0.70 (CPU 0.40 × stretch 1.75)  predicted 0.50 (CPU 0.42 × stretch 1.19), at the fixed point of the achieved rate; the wait a pass meets, p99: measured 3.50 ms (the loop's delay monitor), predicted 0.92",
    );
  });

  it("reads the thread's preemptions and their run-queue time, and prints them beside the model's turn", () => {
    // 18 s on the run queue over 60 s with 36,000 involuntary switches: 600 a second, 0.5 ms each.
    const record = recordWithThread();
    record.cpu!.targetThread!.involuntarySwitches = 36_000;
    const loop = measuredFigures(record, []).loop!;
    expect(loop.preemptionsPerSecond).toBeCloseTo(600, 9);
    expect(loop.preemptionMs).toBeCloseTo(0.5, 9);
    const l = level({}, {});
    l.measured.loop = loop;
    l.predicted.loop = { wallShare: 0.5, cpuCores: 0.42, stretch: 0.5 / 0.42, preemptionMs: 0.15 };
    expect(loopLine(l)).toBe(
      "  event loop         wall share measured 0.70 (CPU 0.40 × stretch 1.75)  predicted 0.50 (CPU 0.42 × stretch 1.19), at the fixed point of the achieved rate; preempted 600 times a second, its run-queue time 0.500 ms a preemption (at most: wake-ups' waits included), the model's turn 0.150",
    );
    // Records before the count have none.
    expect(measuredFigures(recordWithThread(), []).loop).not.toHaveProperty('preemptionMs');
  });

  it('takes the p99 of a wait met with a probability, and of it with a stall kept apart', () => {
    // P(wait > x) = p·exp(−x / c) is 1 % at x = c·ln(p / 0.01): p 1 and c 0.2 ms give 0.2·ln 100.
    expect(loopWaitP99Ms([{ probability: 1, meanMs: 0.2 }])).toBeCloseTo(0.2 * Math.log(100), 5);
    expect(0.3 * Math.exp(-loopWaitP99Ms([{ probability: 0.3, meanMs: 2 }]) / 2)).toBeCloseTo(0.01, 6);
    // A wait met by 1 % of passes or fewer leaves the p99 at no wait.
    expect(loopWaitP99Ms([{ probability: 0.01, meanMs: 5 }])).toBeCloseTo(0, 9);
    // With a stall (p 0.05, mean 1.5 ms) beside a wait (p 0.4, mean 0.3 ms): the survival at the p99,
    // summed by hand over which of the two happen (the both-case by a 20,000-step convolution), is 1 %.
    const x = loopWaitP99Ms([
      { probability: 0.4, meanMs: 0.3 },
      { probability: 0.05, meanMs: 1.5, stall: true },
    ]);
    const steps = 20_000;
    const h = x / steps;
    let below = 0;
    for (let k = 0; k < steps; k++) {
      const u = (k + 0.5) * h;
      below += (Math.exp(-u / 0.3) / 0.3) * (1 - Math.exp(-(x - u) / 1.5)) * h;
    }
    const both = 1 - below;
    const survival = 0.4 * 0.95 * Math.exp(-x / 0.3) + 0.6 * 0.05 * Math.exp(-x / 1.5) + 0.4 * 0.05 * both;
    expect(survival).toBeCloseTo(0.01, 5);
    // Merged into one exponential (same mean) the tail would be lighter.
    const merged = 1 - 0.6 * 0.95;
    expect(x).toBeGreaterThan(loopWaitP99Ms([{ probability: merged, meanMs: (0.12 + 0.075) / merged }]));
  });

  it('has no loop figures for a record without its thread', () => {
    const record = syntheticRunRecord({ id: 'r', scenario: 'full-sync', users: 3000, endpoints: {} });
    expect(measuredFigures(record, []).loop).toBeUndefined();
  });
});

describe("a run's page reads from outside shared_buffers", () => {
  it('are the pages read into them over the completed iterations, beside the predicted ones', () => {
    // 25,000 pages read over 1,000 syncs: 25 an iteration.
    const database = syntheticDatabase({
      blocksHit: 400_000,
      blocksRead: 25_000,
      hitRatio: 400_000 / 425_000,
      sizeBytes: 1_447 * 2 ** 20,
    });
    const record = syntheticRunRecord({
      id: 'r',
      scenario: 'full-sync',
      users: 11_724,
      endpoints: {},
      iterations: { completed: 1000, dropped: 0, rate: 39, targetRate: 39 },
      database,
    });
    const measured = measuredFigures(record, []);
    expect(measured.pageReadsPerIteration).toBe(25);
    const without = syntheticRunRecord({ id: 'r', scenario: 'full-sync', users: 3000, endpoints: {} });
    expect(measuredFigures(without, [])).not.toHaveProperty('pageReadsPerIteration');
    const l = level({}, {});
    expect(pageReadsLine(l)).toBeNull();
    l.measured.pageReadsPerIteration = 25;
    l.predicted.pageReadsPerIteration = 22.14;
    expect(pageReadsLine(l)).toBe(
      '  page reads         measured     25.00  predicted     22.14  an iteration, from outside shared_buffers (the predicted ones priced into the sync statements)',
    );
  });
});

describe("a run's requests shed with 503", () => {
  it("are each endpoint's 503s over its requests, beside the predicted share, and nothing when none shed", () => {
    const summary = (count: number, statuses: Record<string, number>) => ({
      count,
      errorRate: 0,
      statuses,
      mean: 1,
      p50: 1,
      p95: 2,
      p99: 3,
      max: 4,
    });
    // 78 of 1,000 messages and 107 of 1,000 conversation lists answered 503; no 503 on push.
    const record = syntheticRunRecord({
      id: 'r',
      scenario: 'launch-mix',
      users: 2620,
      endpoints: {
        'api.message': summary(1000, { '200': 922, '503': 78 }),
        'rest.conversations': summary(1000, { '200': 893, '503': 107 }),
        'rest.push': summary(500, { '200': 500 }),
      },
    });
    const shed = measuredFigures(record, []).shedShare!;
    expect(shed).toEqual({ 'api.message': 0.078, 'rest.conversations': 0.107 });
    const l = level({}, {});
    expect(shedLine(l)).toBeNull();
    l.measured.shedShare = shed;
    l.predicted.shedShare = { 'api.message': 0.0909, 'rest.conversations': 0.0909, 'rest.push': 0.0909 };
    expect(shedLine(l)).toBe(
      '  shed (503)         api.message measured 7.8% predicted 9.1%; rest.conversations measured 10.7% predicted 9.1%; rest.push measured 0.0% predicted 9.1%',
    );
    const calm = syntheticRunRecord({ id: 'r', scenario: 'launch-mix', users: 600, endpoints: {} });
    expect(measuredFigures(calm, [])).not.toHaveProperty('shedShare');
  });
});
