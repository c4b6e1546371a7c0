import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import type { Calibration } from './calibration.ts';
import { appCpuMsOf, cpuQueues, cpuWaitsOf, dbCpuMsOf, processorSharingWait, repeatedWait } from './cpu.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import { predictDes } from './des/predict.ts';
import { loopPassWaitMs } from './event-loop.ts';
import type { Prediction } from './prediction.ts';
import { queue } from './queueing.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { chainCpuWait } from './rig-chains.ts';

/** A calibration with CPU figures (numbers chosen, not measured) and a measured-looking base latency. */
function withCpu(): Calibration {
  const c = defaultCalibration();
  c.cpuShareOfDbTime = 0.6;
  c.baseLatency = {
    'rest.conversations': { medianMs: 1.8, p95Ms: 3.6, source: 'test' },
    'rest.messages': { medianMs: 0.55, p95Ms: 1.5, source: 'test' },
    'rest.push': { medianMs: 0.3, p95Ms: 1.4, source: 'test' },
  };
  const fit = { fixedCores: 0, r2: null, source: 'test' };
  c.cpu = {
    appMsPerRequest: { default: 0.35, 'rest.conversations': 1.2, 'rest.messages': 0.3, 'rest.push': 0.4 },
    app: { ...fit, perUnit: 0.35, fixedCores: 0.02 },
    database: { ...fit, perUnit: 0.6, fixedCores: 0.01 },
    loadGenerator: { ...fit, perUnit: 0.25, fixedCores: 0.03 },
    otherCores: 0.05,
    rigCores: 2,
    appSplit: 'test',
  };
  return c;
}

const profile = { ...loadProfile('ci-smoke'), messagesPerUserPerMinute: 0 };
const policy = loadPolicy('current');

function endpoint(p: Prediction, name: string) {
  return p.endpoints.find((e) => e.endpoint === name)!;
}

describe('processor sharing on c cores', () => {
  it('one core: a job of x ms takes x/(1 − ρ) in the mean (M/G/1-PS)', () => {
    const q = queue(1, 600, 1); // ρ = 0.6
    const w = processorSharingWait(q, 4)!;
    expect(4 + w.probability * w.meanMs).toBeCloseTo(4 / (1 - 0.6), 12);
  });

  it('two cores: the mean stretch 1 + C/(c − A) is M/M/2’s E[T]/E[S] = 1/(1 − ρ²)', () => {
    for (const rho of [0.3, 0.6, 0.9]) {
      const q = queue(2, 2 * rho * 1000, 1);
      const w = processorSharingWait(q, 1)!;
      expect(1 + w.probability * w.meanMs).toBeCloseTo(1 / (1 - rho * rho), 10);
    }
  });

  it('no work or a saturated host: no wait term (saturation is reported apart)', () => {
    expect(processorSharingWait(queue(2, 1000, 1), 0)).toBeNull();
    expect(processorSharingWait(queue(2, 3000, 1), 1)).toBeNull();
  });
});

describe('a wait met on each of several passes (repeatedWait)', () => {
  it('is met unless it is met on none, with the same total mean (hand-worked)', () => {
    const w = { probability: 0.5, meanMs: 2 };
    // Two passes: met by 1 − 0.5² = 0.75, mean total 2 · 0.5 · 2 = 2 ms, so 2 / 0.75 of those met.
    expect(repeatedWait(w, 2)).toEqual({ probability: 0.75, meanMs: 2 / 0.75 });
    // A twentieth of the requests make the pass: met by 0.05 · 0.5, of the same mean.
    const share = repeatedWait(w, 0.05)!;
    expect(share.probability).toBeCloseTo(0.025, 12);
    expect(share.meanMs).toBeCloseTo(2, 12);
    // One and a half: 1 − 0.5 · (1 − 0.5 · 0.5) = 0.625.
    expect(repeatedWait(w, 1.5)!.probability).toBeCloseTo(0.625, 12);
    // A wait every pass meets stays met, its mean times the passes; none for no pass.
    const every = repeatedWait({ probability: 1, meanMs: 0.3, stall: true }, 6)!;
    expect(every.probability).toBe(1);
    expect(every.meanMs).toBeCloseTo(1.8, 12);
    expect(every.stall).toBe(true);
    expect(repeatedWait(w, 0)).toBeNull();
  });
});

describe('CPU placement', () => {
  const cal = withCpu();
  const requests = { 'rest.conversations': 10, 'rest.messages': 500, 'rest.push': 10 };
  const statements = { 'rest.conversations': 10, 'rest.messages': 500, 'rest.push': 1 };

  it('the rig: one host queue carrying target, database, k6 and the other load, in cores', () => {
    const q = cpuQueues(cal, { kind: 'rig', cores: 2 }, requests, statements, 8, null);
    const target = (10 * 1.2 + 500 * 0.3 + 10 * 0.4) / 1000 + 0.02;
    const database =
      (10 * dbCpuMsOf(cal, 'rest.conversations') +
        500 * dbCpuMsOf(cal, 'rest.messages') +
        dbCpuMsOf(cal, 'rest.push')) /
        1000 +
      0.01;
    const k6 = (520 * 0.25) / 1000 + 0.03;
    expect(q.cpuName).toBe('host.cpu');
    expect(q.cpu.servers).toBe(2);
    expect(q.cpu.offeredLoad).toBeCloseTo(target + database + k6 + 0.05, 12);
    expect(q.loadParts.loadGenerator).toBeCloseTo(k6, 12);
    // A conversations request waits for its own CPU (its statement + k6's for it, the client that
    // measures it being on the same cores) under the whole host's load; the target's part runs on its
    // one thread, which waits behind the others' work only: M/M/2 at A' = A − the target's cores,
    // C' = A'²/(2 + A'), mean C'·x/(2 − A') (thread-host.ts).
    const [w, t] = cpuWaitsOf(q, cal, 'rest.conversations');
    expect(w!.meanMs).toBeCloseTo(
      (dbCpuMsOf(cal, 'rest.conversations') + 0.25) / (2 - q.cpu.offeredLoad),
      12,
    );
    const others = q.cpu.offeredLoad - target;
    expect(t!.probability).toBeCloseTo((others * others) / (2 + others), 12);
    expect(t!.meanMs).toBeCloseTo(1.2 / (2 - others), 12);
    // The loop's thread is busy for the target's CPU × that stretch, 1 + C'/(2 − A').
    const stretch = 1 + (others * others) / (2 + others) / (2 - others);
    expect(q.loop!.utilisation).toBeCloseTo(target * stretch, 10);
    // A statement alone (no request around it, as /api/message's second statement) carries no k6 CPU.
    const [s] = cpuWaitsOf(q, cal, 'rest.messages', 1, null);
    expect(s!.meanMs).toBeCloseTo(dbCpuMsOf(cal, 'rest.messages') / (2 - q.cpu.offeredLoad), 12);
  });

  it('the rig with a chain calibration: a sync lasts its requests and k6 gaps, and requests wait as in chains', () => {
    const chained: Calibration = {
      ...cal,
      cpu: { ...cal.cpu!, chains: { gapMsPerRequest: 0.5, source: 'test' } },
    };
    // 10 syncs/s of 1 conversations, 50 messages and 1 push request each.
    const q = cpuQueues(chained, { kind: 'rig', cores: 2 }, requests, statements, 8, null, [4, 6], 520);
    expect(q.chains).toBeDefined();
    const c = q.chains!;
    expect(c.streams).toEqual([4, 6]);
    const lnMean = (median: number, p95: number) =>
      median * Math.exp((Math.log(p95 / median) / 1.6448536269514722) ** 2 / 2);
    const noWait = lnMean(1.8, 3.6) + 50 * lnMean(0.55, 1.5) + lnMean(0.3, 1.4) + 52 * 0.5;
    // The fixed point adds the chain waits of its own requests on top (never below the unwaited sync).
    expect(c.syncSeconds * 1000).toBeGreaterThanOrEqual(noWait - 1e-9);
    const cpuMs = (e: string) => appCpuMsOf(chained, e) + dbCpuMsOf(chained, e) + 0.25;
    const chainCores =
      (10 * cpuMs('rest.conversations') + 500 * cpuMs('rest.messages') + 10 * cpuMs('rest.push')) / 1000;
    expect(c.chainCores).toBeCloseTo(chainCores, 12);
    expect(c.backgroundCores).toBeCloseTo(q.cpu.offeredLoad - chainCores, 12);
    // The target's part of a request's CPU runs on its one thread, which competes with the chains'
    // other work only: the chains without the target's CPU for the sync requests (10 × 1.2 + 500 × 0.3
    // + 10 × 0.4 ms/s = 0.166 cores) and the load outside them without its fixed 0.02 cores.
    // The target's part runs on its one thread and k6's (0.25 ms a request, 520/s) on two (rig-chains.ts);
    // the thread's view leaves its own process out.
    expect(c.processes).toEqual([
      { name: 'target', cores: expect.closeTo(0.166, 12), threads: 1 },
      { name: 'k6', cores: expect.closeTo(0.13, 12), threads: 2 },
    ]);
    // The thread itself sees processor sharing at the host's load less the target's 0.186 cores (its
    // sync requests' 0.166 and its fixed 0.02; thread-host.ts): C' = A'²/(2 + A'), mean x/(2 − A').
    const others = q.cpu.offeredLoad - 0.186;
    expect(q.thread!.cpu.offeredLoad).toBeCloseTo(others, 12);
    const psWait = (x: number) => ((others * others) / (2 + others)) * (x / (2 - others));
    const [w, t] = cpuWaitsOf(q, chained, 'rest.conversations');
    expect(w!.meanMs).toBeCloseTo(chainCpuWait(c, cpuMs('rest.conversations') - 1.2)!.meanMs, 9);
    expect(t!.probability).toBeCloseTo((others * others) / (2 + others), 9);
    expect(t!.meanMs).toBeCloseTo(1.2 / (2 - others), 9);
    const waitOf = (e: string) => {
      const app = appCpuMsOf(chained, e);
      const x = chainCpuWait(c, cpuMs(e) - app);
      return (x ? x.probability * x.meanMs : 0) + psWait(app);
    };
    // Each request also waits twice for the target's event loop (its turns stretched as its thread
    // sees the host, 1 + C'/(2 − A'), and its stall while preempted), so a sync lasts 52 × 2 loop
    // waits more.
    expect(q.loop).toBeDefined();
    const loopWait = 2 * loopPassWaitMs(q.loop!)!;
    expect(loopWait).toBeGreaterThan(0);
    const self =
      lnMean(1.8, 3.6) +
      waitOf('rest.conversations') +
      50 * (lnMean(0.55, 1.5) + waitOf('rest.messages')) +
      lnMean(0.3, 1.4) +
      waitOf('rest.push') +
      52 * (0.5 + loopWait);
    expect(c.syncSeconds * 1000).toBeCloseTo(self, 6);
    // The syncs' durations spread the count in flight (a 52-request sync: CV 0.533 × 50/52).
    expect(c.syncCv).toBeCloseTo(0.51244, 5);
    // A state of the syncs' population holds its count: no spread, floor or ceil of each stream's mean
    // (population-mixture.ts is the spread). Less spread, less wait (the wait is convex in the count).
    const state = cpuQueues(
      chained,
      { kind: 'rig', cores: 2 },
      requests,
      statements,
      8,
      null,
      [4, 6],
      520,
      false,
    );
    expect(state.chains!.syncCv).toBeUndefined();
    expect(state.chains!.syncSeconds).toBeLessThan(c.syncSeconds);
    expect(state.chains!.syncSeconds * 1000).toBeGreaterThanOrEqual(noWait - 1e-9);
    // Without streams (no syncs), or without the chain calibration: the M/M/c processor-sharing wait.
    expect(
      cpuQueues(chained, { kind: 'rig', cores: 2 }, requests, statements, 8, null).chains,
    ).toBeUndefined();
    expect(
      cpuQueues(cal, { kind: 'rig', cores: 2 }, requests, statements, 8, null, [4, 6], 520).chains,
    ).toBeUndefined();
  });

  it('a deployment: the database cores get statement CPU only (no load generator); the app tier only with vCPUs given', () => {
    const q = cpuQueues(cal, { kind: 'deployment' }, requests, statements, 4, null);
    expect(q.cpuName).toBe('db.cpu');
    expect(q.cpu.servers).toBe(4);
    expect(q.cpu.offeredLoad).toBeCloseTo((0.5 * 0.6 * 10 + 0.5 * 0.6 * 500 + 1 * 0.6 * 1) / 1000, 12);
    expect(q.app).toBeNull();
    const withApp = cpuQueues(cal, { kind: 'deployment' }, requests, statements, 4, 2);
    expect(withApp.app!.offeredLoad).toBeCloseTo((10 * 1.2 + 500 * 0.3 + 10 * 0.4) / 1000, 12);
    expect(cpuWaitsOf(withApp, cal, 'rest.conversations')).toHaveLength(2);
  });

  it('predicting the rig needs a CPU calibration', () => {
    expect(() =>
      cpuQueues(defaultCalibration(), { kind: 'rig', cores: 2 }, requests, statements, 2, null),
    ).toThrow(/CPU calibration/);
  });

  it('on the rig the heaviest request is stretched most as the users grow, and the host saturates', () => {
    const ctx: ModelContext = {
      calibration: cal,
      targets: defaultTargets(),
      cores: 2,
      abuse: NO_ABUSE,
      placement: { kind: 'rig', cores: 2 },
    };
    const low = predictAnalytic(profile, policy, 1500, ctx);
    const high = predictAnalytic(profile, policy, 7500, ctx);
    const host = (p: Prediction) => p.resources.find((r) => r.name === 'host.cpu')!;
    expect(host(high).utilisation).toBeGreaterThan(host(low).utilisation);
    // In the mean: a p95 also reads the event loop's stall, the same for every request of two passes,
    // which weighs more on the lighter request's p95.
    const rise = (name: string) => endpoint(high, name).meanMs! - endpoint(low, name).meanMs!;
    expect(rise('rest.conversations')).toBeGreaterThan(rise('rest.messages'));
    expect(rise('rest.messages')).toBeGreaterThan(0);
    expect(endpoint(high, 'rest.messages').p95Ms!).toBeGreaterThan(endpoint(low, 'rest.messages').p95Ms!);
    const deployment = predictAnalytic(profile, policy, 7500, { ...ctx, placement: { kind: 'deployment' } });
    expect(deployment.resources.some((r) => r.name === 'host.cpu')).toBe(false);
    expect(endpoint(deployment, 'rest.conversations').p95Ms!).toBeLessThan(
      endpoint(high, 'rest.conversations').p95Ms!,
    );
    const saturated = predictAnalytic(profile, policy, 40000, ctx);
    expect(host(saturated).saturated).toBe(true);
    expect(endpoint(saturated, 'rest.conversations').p95Ms).toBeNull();
  });
});

/** withCpu() with a base latency of rest.conversations that fades with load (base-latency.ts). */
function withFadingBase(): Calibration {
  const c = withCpu();
  c.baseLatency!['rest.conversations'] = {
    medianMs: 1.2,
    p95Ms: 2.4,
    fade: { medianMs: 150, p95Ms: 300, minRequestsPerSecond: 200, maxRequestsPerSecond: 700 },
    source: 'test',
  };
  return c;
}

describe('DES with calibrated base latency (flat and fading) and the rig CPU, against the analytical model', () => {
  it('a small pool held across the host queue: the DES holds it as long and waits as long (layered)', () => {
    // 6,500 users on a pool of 3: connections held for statement + CPU wait + the event loop's turn,
    // busy enough that a request waits for a connection one time in ten.
    const small = { ...policy, database: { ...policy.database, poolSize: 3 } };
    const ctx: ModelContext = {
      calibration: withFadingBase(),
      targets: defaultTargets(),
      cores: 2,
      abuse: NO_ABUSE,
      placement: { kind: 'rig', cores: 2 },
    };
    const a = predictAnalytic(profile, small, 6_500, ctx);
    const d = predictDes(profile, small, 6_500, ctx, { seed: 5, durationSeconds: 600, warmupSeconds: 20 });
    const pool = (p: Prediction) => p.resources.find((r) => r.name === 'db.pool')!;
    expect(a.resources.find((r) => r.name === 'app.loop')!.utilisation).toBeGreaterThan(0.1);
    expect(pool(a).probabilityOfWaiting).toBeGreaterThan(0.1);
    expect(Math.abs(pool(d).utilisation / pool(a).utilisation - 1)).toBeLessThan(0.03);
    for (const name of ['rest.conversations', 'rest.messages']) {
      expect(
        Math.abs(endpoint(d, name).meanMs! / endpoint(a, name).meanMs! - 1),
        `${name} mean`,
      ).toBeLessThan(0.1);
    }
  }, 120_000);

  for (const users of [3000, 7500]) {
    it(`${users} users: mean and p95 per endpoint and of the sync within 5%`, () => {
      const ctx: ModelContext = {
        calibration: withFadingBase(),
        targets: defaultTargets(),
        cores: 2,
        abuse: NO_ABUSE,
        placement: { kind: 'rig', cores: 2 },
      };
      const a = predictAnalytic(profile, policy, users, ctx);
      const d = predictDes(profile, policy, users, ctx, {
        seed: 3,
        durationSeconds: 1200,
        warmupSeconds: 20,
      });
      for (const name of ['rest.conversations', 'rest.messages', 'rest.push', 'sync']) {
        const x = endpoint(a, name);
        const y = endpoint(d, name);
        expect(Math.abs(y.meanMs! / x.meanMs! - 1), `${name} mean`).toBeLessThan(0.05);
        if (name !== 'sync') expect(Math.abs(y.p95Ms! / x.p95Ms! - 1), `${name} p95`).toBeLessThan(0.05);
      }
    });
  }
});
