import { describe, expect, it } from 'vitest';
import { erlangC } from '../erlang-c.ts';
import { mm1 } from '../queueing.ts';
import type { DesConfig, DesStep } from './engine.ts';
import { EVENT, runDes } from './engine.ts';

/** One step on resource 0, endpoint `req`, held 10 ms unless `overrides` say otherwise. */
function oneStep(overrides: Partial<DesStep> = {}): DesStep {
  return {
    resource: 0,
    endpoint: 'req',
    hold: { kind: 'constant', ms: 10 },
    overheadMs: 0,
    repeat: 1,
    probability: 1,
    timeoutMs: null,
    ...overrides,
  };
}

/** One Poisson stream of one-step jobs through one resource: an M/M/c queue (times in ms). */
function mmcConfig(
  servers: number,
  ratePerSecond: number,
  meanServiceMs: number,
  seconds: number,
  seed = 7,
): DesConfig {
  return {
    resources: [{ name: 'pool', servers, queueTimeoutMs: null }],
    jobs: [
      {
        name: 'job',
        overheadMs: 0,
        steps: [oneStep({ hold: { kind: 'exponential', meanMs: meanServiceMs } })],
      },
    ],
    arrivals: [{ kind: 'poisson', job: 0, ratePerSecond }],
    durationSeconds: seconds,
    warmupSeconds: seconds / 20,
    seed,
    sampleEverySeconds: 0,
  };
}

describe('runDes against closed forms', () => {
  it('M/M/1 at ρ = 0.8: mean wait ρ/(μ−λ) and utilisation ρ (Kleinrock vol. 1, 3.2)', () => {
    // λ = 8/s, mean service 100 ms → μ = 10/s; Wq = 0.8 / 2 = 0.4 s.
    const r = runDes(mmcConfig(1, 8, 100, 40_000));
    const exact = mm1(8, 10);
    const pool = r.resources[0]!;
    expect(pool.utilisation).toBeGreaterThan(exact.rho * 0.98);
    expect(pool.utilisation).toBeLessThan(exact.rho * 1.02);
    expect(pool.meanWaitMs / (exact.meanWait * 1000)).toBeGreaterThan(0.93);
    expect(pool.meanWaitMs / (exact.meanWait * 1000)).toBeLessThan(1.07);
    // M/M/1: P(wait) = ρ.
    expect(pool.probabilityOfWaiting).toBeCloseTo(0.8, 1);
  });

  it('M/M/c (c = 10, A = 8): P(wait) = Erlang C and Wq = C·S/(c − A)', () => {
    const r = runDes(mmcConfig(10, 80, 100, 20_000, 11));
    const pool = r.resources[0]!;
    const c = erlangC(10, 8);
    const wq = (c * 100) / (10 - 8);
    expect(Math.abs(pool.probabilityOfWaiting - c)).toBeLessThan(0.02);
    expect(Math.abs(pool.meanWaitMs / wq - 1)).toBeLessThan(0.06);
    expect(Math.abs(pool.utilisation - 0.8)).toBeLessThan(0.01);
    // Response time of M/M/c is wait + service: mean = Wq + S.
    expect(Math.abs(r.endpoints['req']!.meanMs / (wq + 100) - 1)).toBeLessThan(0.03);
  });

  it('same seed, same output; another seed, another output', () => {
    const a = runDes(mmcConfig(2, 15, 100, 500, 3));
    const b = runDes(mmcConfig(2, 15, 100, 500, 3));
    const c = runDes(mmcConfig(2, 15, 100, 500, 4));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.resources[0]!.meanWaitMs).not.toBe(a.resources[0]!.meanWaitMs);
  });
});

/** Three users' synchronised timers firing one-step jobs at a one-server pool, each step held 10 ms. */
function threeTimers(step: Partial<DesStep>, periodSeconds: number, durationSeconds: number): DesConfig {
  return {
    resources: [{ name: 'pool', servers: 1, queueTimeoutMs: null }],
    jobs: [
      {
        name: 'sync',
        overheadMs: 0,
        steps: [oneStep(step)],
      },
    ],
    arrivals: [{ kind: 'timers', job: 0, users: 3, periodSeconds, jitter: false }],
    durationSeconds,
    warmupSeconds: 0,
    seed: 1,
    sampleEverySeconds: 0,
  };
}

describe('runDes event trace', () => {
  it('three synchronised timers, one server, 10 ms holds: FCFS, releases before arrivals at equal times', () => {
    // Period 30 ms so that the second round arrives exactly when the third request is released.
    const config: DesConfig = { ...threeTimers({}, 0.03, 0.05), trace: 100 };
    const r = runDes(config);
    const T = EVENT.timer;
    const R = EVENT.release;
    // Job ids are reused: job 0 ends at 10 and id 0 is taken again by user 2's next job, and so on.
    expect(r.trace).toEqual([
      [0, T, 0], // user 0: job 0 gets the server, release at 10
      [0, T, 1], // user 1: job 1 queues
      [0, T, 2], // user 2: job 2 queues
      [10, R, 0], // job 0 done; job 1 served until 20
      [20, R, 1], // job 1 done; job 2 served until 30
      [30, R, 2], // release first (priority 0), then the timers of round two
      [30, T, 0], // user 0 again: server free, release at 40
      [30, T, 1],
      [30, T, 2],
      [40, R, 2], // the job of user 0's second firing reused id 2 (the last freed)
      [50, R, 1],
    ]);
    expect(r.jobs['sync']!.count).toBe(5);
    expect(r.jobs['sync']!.maxMs).toBe(30); // user 2 of round one waited 20 and held 10
  });
});

describe('a step with its own latency distribution', () => {
  it('latency = wait for the server + its own draw (not the hold); the hold still paces the server', () => {
    const config = threeTimers(
      // A constant 3 ms and no CPU wait: latency is exact.
      { latency: { base: { kind: 'constant', ms: 3 }, waitProbability: 0, waitMeanMs: 0 } },
      1,
      0.5,
    );
    const r = runDes(config);
    // Three at t = 0 on one server held 10 ms each: waits 0, 10, 20; latencies 3, 13, 23.
    expect(r.endpoints['req']!.count).toBe(3);
    expect(r.endpoints['req']!.maxMs).toBeCloseTo(23, 6);
    expect(r.jobs['sync']!.maxMs).toBeCloseTo(23, 6);
    expect(r.resources[0]!.meanHoldMs).toBe(10);
    expect(r.resources[0]!.meanWaitMs).toBeCloseTo(10, 6);
  });

  it('a CPU wait with probability 1 adds an exponential of its mean', () => {
    const step = oneStep({
      hold: { kind: 'constant', ms: 0.001 },
      latency: { base: { kind: 'constant', ms: 1 }, waitProbability: 1, waitMeanMs: 2 },
    });
    const r = runDes({
      resources: [{ name: 'pool', servers: 100, queueTimeoutMs: null }],
      jobs: [{ name: 'j', overheadMs: 0, steps: [step] }],
      arrivals: [{ kind: 'poisson', job: 0, ratePerSecond: 2000 }],
      durationSeconds: 20,
      warmupSeconds: 0,
      seed: 7,
      sampleEverySeconds: 0,
    });
    // Mean 1 + 2 ms; p50 of 1 + Exp(2) is 1 + 2 ln 2.
    expect(r.endpoints['req']!.meanMs).toBeCloseTo(3, 1);
    expect(Math.abs(r.endpoints['req']!.p50Ms / (1 + 2 * Math.LN2) - 1)).toBeLessThan(0.03);
  });
});

/**
 * M/M/1+D: Poisson arrivals (λ), exponential service (μ), FCFS, each request leaves the queue after
 * waiting T (a fixed patience). Level crossing on the virtual waiting time V (Baccelli & Hébuterne,
 * "On queues with impatient customers", 1981): density π0·λ·e^{−(μ−λ)x} for 0 < x ≤ T and
 * π0·λ·e^{−(μ−λ)T}·e^{−μ(x−T)} beyond (no work joins past T); an arrival abandons when V > T, so the
 * abandoned share is P(V > T) = π0·λ·e^{−(μ−λ)T}/μ. Rates per second, T in seconds.
 */
function mm1Patience(lambda: number, mu: number, patience: number): { p0: number; abandoned: number } {
  const d = mu - lambda;
  const mid = d === 0 ? lambda * patience : (lambda / d) * (1 - Math.exp(-d * patience));
  const tail = (lambda * Math.exp(-d * patience)) / mu;
  const p0 = 1 / (1 + mid + tail);
  return { p0, abandoned: p0 * tail };
}

describe('runDes reneging (queue timeout)', () => {
  it('M/M/1 with a fixed patience: abandoned share and utilisation match the closed form', () => {
    // λ = 1.2/s on μ = 1/s (overloaded without reneging), patience 1 s: π0 = 0.2636, 38.6% abandon.
    const exact = mm1Patience(1.2, 1, 1);
    expect(exact.abandoned).toBeCloseTo(0.3863, 3);
    const config = mmcConfig(1, 1.2, 1000, 200_000, 5);
    config.resources[0]!.queueTimeoutMs = 1000;
    const r = runDes(config);
    const pool = r.resources[0]!;
    const arrivals = pool.arrivalRate * r.measuredSeconds;
    expect(pool.queueTimeouts / arrivals).toBeGreaterThan(exact.abandoned * 0.98);
    expect(pool.queueTimeouts / arrivals).toBeLessThan(exact.abandoned * 1.02);
    // The server is busy 1 − π0 of the time; served rate λ(1 − P(abandon)) = μ(1 − π0).
    expect(pool.utilisation).toBeGreaterThan((1 - exact.p0) * 0.98);
    expect(pool.utilisation).toBeLessThan((1 - exact.p0) * 1.02);
    // Abandoned requests are the job's errors; served ones never waited longer than the patience.
    expect(r.jobs['job']!.errors).toBe(pool.queueTimeouts);
    expect(r.endpoints['req']!.errors).toBe(pool.queueTimeouts);
    expect(pool.p95WaitMs).toBeLessThanOrEqual(1000);
  });

  it('a hand-computed trace: requests leave the queue at their deadline, not at the next release', () => {
    // 1 server, constant 10 ms holds, patience 15 ms; four clients fire together at t = 0. #0 is served
    // 0-10, #1 waits 10 ms and is served 10-20, #2 and #3 give up at 15. Samples every 6 ms.
    const config: DesConfig = {
      resources: [{ name: 'pool', servers: 1, queueTimeoutMs: 15 }],
      jobs: [
        {
          name: 'sync',
          overheadMs: 0,
          steps: [oneStep()],
        },
      ],
      arrivals: [{ kind: 'timers', job: 0, users: 4, periodSeconds: 1000, jitter: false }],
      durationSeconds: 0.03,
      warmupSeconds: 0,
      seed: 1,
      sampleEverySeconds: 0.006,
    };
    const r = runDes(config);
    // At 6 ms three wait, at 12 ms two, at 18 ms none (the last two left at 15 ms, before the release at 20).
    expect(r.series.queued['pool']).toEqual([3, 2, 0, 0, 0]);
    expect(r.series.busy['pool']).toEqual([1, 1, 1, 0, 0]);
    const pool = r.resources[0]!;
    expect(pool.queueTimeouts).toBe(2);
    expect(pool.maxQueue).toBe(3);
    expect(r.jobs['sync']!.count).toBe(2);
    expect(r.jobs['sync']!.errors).toBe(2);
    expect(r.jobs['sync']!.maxMs).toBe(20);
  });
});
