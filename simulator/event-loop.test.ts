import { describe, expect, it } from 'vitest';
import type { Calibration } from './calibration.ts';
import { cpuQueues, cpuWaitsOf, statementCpuWaitMs } from './cpu.ts';
import { defaultCalibration } from './defaults.ts';
import {
  eventLoopQueue,
  LOOP_PREEMPTION_MS,
  loopPassesOf,
  loopPassWaitMs,
  loopWaitBelowMs,
  MESSAGE_LOOP_PASSES,
} from './event-loop.ts';

function withCpu(): Calibration {
  const c = defaultCalibration();
  const fit = { fixedCores: 0, r2: null, source: 'test' };
  c.cpu = {
    appMsPerRequest: { default: 0.5, 'rest.conversations': 1.0, 'rest.messages': 0.2 },
    app: { ...fit, perUnit: 0.3 },
    database: { ...fit, perUnit: 0.5 },
    loadGenerator: { ...fit, perUnit: 0.2 },
    otherCores: 0,
    rigCores: 2,
    appSplit: 'test',
  };
  return c;
}

describe("the target's event loop", () => {
  it('is M/G/1 with two passes per request of half its CPU, stretched by the host (hand-worked)', () => {
    // 200 conversations/s (1.0 ms of target CPU) and 1000 messages/s (0.2 ms), host stretch 1.5:
    // passes 400/s of 0.75 ms and 2000/s of 0.15 ms; ρ = 0.3 + 0.3 = 0.6; mean pass 0.25 ms;
    // E[S²] (exponential parts) = (400·2·0.75² + 2000·2·0.15²)/2400 = (450 + 90)/2400 = 0.225 ms²;
    // Pollaczek–Khinchine: W = λE[S²]/(2(1 − ρ)) = 2.4/ms·0.225/(2·0.4) = 0.675 ms.
    const q = eventLoopQueue(withCpu(), { 'rest.conversations': 200, 'rest.messages': 1000 }, 1.5)!;
    expect(q.servers).toBe(1);
    expect(q.utilisation).toBeCloseTo(0.6, 12);
    expect(q.serviceTimeMs).toBeCloseTo(0.25, 12);
    expect(q.meanWaitMs!).toBeCloseTo(0.675, 9);
    // With the stall while its competitors hold the cores: 0.6 × (1 − 1 / 1.5) = 0.2 of the wall clock.
    expect(loopPassWaitMs(q)).toBeCloseTo(0.675 + 0.2 * LOOP_PREEMPTION_MS, 9);
    // Nothing competes at stretch 1: no stall.
    expect(eventLoopQueue(withCpu(), { 'rest.messages': 1000 }, 1)!.stall).toBeNull();
  });

  it("carries the target's fixed CPU on the same thread, as passes of the mean pass (hand-worked)", () => {
    // 1000 messages/s of 0.2 ms: 2000 passes/s of 0.1 ms; 0.1 fixed cores = 1000 more passes/s of
    // 0.1 ms; host stretch 1. ρ = 3000 · 0.1e-3 = 0.3, E[S²] = 2 · 0.1² = 0.02 ms²,
    // W = 3/ms · 0.02 / (2 · 0.7) = 0.042857 ms (without the fixed part: 2 · 0.02 / 1.6 = 0.025).
    const c = withCpu();
    c.cpu = { ...c.cpu!, app: { ...c.cpu!.app, fixedCores: 0.1 } };
    const q = eventLoopQueue(c, { 'rest.messages': 1000 }, 1)!;
    expect(q.utilisation).toBeCloseTo(0.3, 12);
    expect(loopPassWaitMs(q)).toBeCloseTo(0.06 / 1.4, 9);
    expect(loopPassWaitMs(eventLoopQueue(withCpu(), { 'rest.messages': 1000 }, 1))).toBeCloseTo(0.025, 9);
  });

  it("runs its thread's share of the target's CPU, the fixed part included (hand-worked)", () => {
    // The case above with the loop's thread running half the target's CPU (loop-thread-share.ts):
    // 2000 passes/s of 0.05 ms and 0.05 fixed cores as 1000 passes/s of 0.05 ms; ρ = 3000 · 0.05e-3 =
    // 0.15, E[S²] = 2 · 0.05² = 0.005 ms², W = 3/ms · 0.005 / (2 · 0.85) = 0.0088235 ms.
    const c = withCpu();
    c.cpu = {
      ...c.cpu!,
      app: { ...c.cpu!.app, fixedCores: 0.1 },
      loopThread: { share: 0.5, source: 'test' },
    };
    const q = eventLoopQueue(c, { 'rest.messages': 1000 }, 1)!;
    expect(q.utilisation).toBeCloseTo(0.15, 12);
    expect(loopPassWaitMs(q)).toBeCloseTo(0.015 / 1.7, 9);
  });

  it("adds the thread's wake-up share to its wall share and once to each pass's wait (hand-worked)", () => {
    // The first case with a wake-up share of 0.3: the thread's CPU is 0.6 / 1.5 = 0.4 cores, so its
    // wall share is 0.6 + 0.3 · 0.4 = 0.72; each pass waits the M/G/1 0.675 ms and 0.3 × its mean CPU
    // (0.25 / 1.5 ms) = 0.05 ms more; the work's own utilisation and service stay 0.6 and 0.25 ms.
    const rates = { 'rest.conversations': 200, 'rest.messages': 1000 };
    const q = eventLoopQueue(withCpu(), rates, 1.5, 0.3)!;
    expect(q.utilisation).toBeCloseTo(0.72, 12);
    expect(q.workUtilisation).toBeCloseTo(0.6, 12);
    expect(q.workServiceMs).toBeCloseTo(0.25, 12);
    expect(q.wakeDelayMs).toBeCloseTo(0.05, 12);
    expect(loopPassWaitMs(q)).toBeCloseTo(0.725 + 0.2 * LOOP_PREEMPTION_MS, 9);
    // Preempted by its competitors 0.4 × (1.5 − 1) = 0.2 of the wall clock (its CPU × the stretch
    // beyond 1): a pass meets that stall with probability 0.2 and waits the rest of a competitor's turn.
    expect(q.stall!.probability).toBeCloseTo(0.2, 12);
    expect(q.stall!.meanMs).toBe(LOOP_PREEMPTION_MS);
    // Read with the work's utilisation held at 0.5: 0.5/0.5 · 0.25 · 1.125 + 0.05 (E[S²]/(2E[S]) = 0.225/0.5).
    expect(loopWaitBelowMs(q, 0.5)).toBeCloseTo(
      0.25 * (0.225 / 0.25 / 0.25 / 2) + 0.05 + 0.2 * LOOP_PREEMPTION_MS,
      9,
    );
    // Saturated once the wall share reaches 1, below the work's own 1: 0.8 / 1.5 cores of CPU at 1.5
    // is work 0.8 and wall 0.8 + 0.4 · 0.5333 = 1.013.
    const full = eventLoopQueue(withCpu(), { 'rest.conversations': 400 }, 1.5, 0.4)!;
    expect(full.workUtilisation).toBeCloseTo(0.6, 12);
    const past = eventLoopQueue(withCpu(), { 'rest.conversations': 534 }, 1.5, 0.4)!;
    expect(past.workUtilisation).toBeLessThan(1);
    expect(past.utilisation).toBeGreaterThan(1);
    expect(past.saturated).toBe(true);
    expect(loopPassWaitMs(past)).toBeNull();
  });

  it('saturates when the stretched CPU of the requests outgrows one thread', () => {
    const q = eventLoopQueue(withCpu(), { 'rest.conversations': 800 }, 1.3)!;
    expect(q.saturated).toBe(true);
    expect(loopPassWaitMs(q)).toBeNull();
    expect(eventLoopQueue(defaultCalibration(), { 'rest.messages': 10 }, 1)).toBeNull();
  });

  it("holds a statement's connection for one pass's wait and adds two to the request (rig only)", () => {
    const cal = withCpu();
    const requests = { 'rest.conversations': 100, 'rest.messages': 500 };
    const rig = cpuQueues(cal, { kind: 'rig', cores: 2 }, requests, requests, 2, null);
    const loopWait = loopPassWaitMs(rig.loop!)!;
    expect(loopWait).toBeGreaterThan(0);
    const deployment = cpuQueues(cal, { kind: 'deployment' }, requests, requests, 2, null);
    expect(deployment.loop).toBeUndefined();
    // The hold's extra over the host's CPU wait is exactly one pass's mean wait (its stall's included).
    const noLoop = { ...rig, loop: undefined };
    expect(
      statementCpuWaitMs(rig, cal, 'rest.messages') - statementCpuWaitMs(noLoop, cal, 'rest.messages'),
    ).toBeCloseTo(loopWait, 12);
    const mean = (ws: { probability: number; meanMs: number }[]) =>
      ws.reduce((s, w) => s + w.probability * w.meanMs, 0);
    expect(
      mean(cpuWaitsOf(rig, cal, 'rest.messages')) - mean(cpuWaitsOf(noLoop, cal, 'rest.messages')),
    ).toBeCloseTo(2 * loopWait, 12);
  });

  it('gives an empty push one pass: 1 + its statement share passes, the result pass only when it ran one', () => {
    // 81 of 1,605 pushes ran a statement (session 12's run): 1.0505 passes a push, 2 for a read.
    const cal = { ...withCpu(), statementShare: { 'rest.push': { share: 81 / 1605, source: 'test' } } };
    expect(loopPassesOf(cal, 'rest.push')).toBeCloseTo(1 + 81 / 1605, 12);
    expect(loopPassesOf(cal, 'rest.messages')).toBe(2);
    expect(loopPassesOf(withCpu(), 'rest.push')).toBe(2);
    // On the loop: 100 pushes/s of 0.5 ms at stretch 1 are 105.05 passes/s of 0.5/1.0505 ms (ρ 0.05).
    const q = eventLoopQueue(cal, { 'rest.push': 100 }, 1)!;
    expect(q.utilisation).toBeCloseTo(0.05, 12);
    expect(q.serviceTimeMs).toBeCloseTo(0.5 / (1 + 81 / 1605), 12);
    // On its path: one pass's wait, and the result pass's with probability 81/1,605.
    const requests = { 'rest.conversations': 100, 'rest.messages': 500, 'rest.push': 100 };
    const rig = cpuQueues(cal, { kind: 'rig', cores: 2 }, requests, requests, 2, null);
    const noLoop = { ...rig, loop: undefined };
    const mean = (ws: { probability: number; meanMs: number }[]) =>
      ws.reduce((s, w) => s + w.probability * w.meanMs, 0);
    expect(mean(cpuWaitsOf(rig, cal, 'rest.push')) - mean(cpuWaitsOf(noLoop, cal, 'rest.push'))).toBeCloseTo(
      (1 + 81 / 1605) * loopPassWaitMs(rig.loop!)!,
      12,
    );
  });
  it("spreads an /api/message's CPU over its seven turns, so the reads wait less behind it (hand-worked)", () => {
    // 1000 messages/s (0.2 ms, two passes of 0.1) and 10 /api/message/s of 2.1 ms (default share 0.5
    // here, so 2.1 set by hand): seven passes of 0.3 ms. Passes 2000/s of 0.1 and 70/s of 0.3: ρ = 0.2 +
    // 0.021 = 0.221; E[S²] = (2000·2·0.01 + 70·2·0.09)/2070 = (40 + 12.6)/2070 = 0.025411 ms²;
    // W = 2.07·0.025411/(2·0.779) = 0.033763 ms. As two passes of 1.05 ms it would be 20/s of 1.05:
    // E[S²] = (40 + 20·2·1.1025)/2020 = 84.1/2020 = 0.041634, W = 2.02·0.041634/(2·0.779) = 0.053981 ms.
    expect(MESSAGE_LOOP_PASSES).toBe(7);
    const base = withCpu();
    const cal = {
      ...base,
      cpu: { ...base.cpu!, appMsPerRequest: { ...base.cpu!.appMsPerRequest, 'api.message': 2.1 } },
    };
    expect(loopPassesOf(cal, 'api.message')).toBe(7);
    const q = eventLoopQueue(cal, { 'rest.messages': 1000, 'api.message': 10 }, 1)!;
    expect(q.utilisation).toBeCloseTo(0.221, 12);
    expect(loopPassWaitMs(q)).toBeCloseTo((2.07 * (52.6 / 2070)) / (2 * 0.779), 9);
    expect(loopPassWaitMs(q)).toBeCloseTo(0.033763, 5);
  });
});
