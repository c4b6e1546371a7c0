import { describe, expect, it } from 'vitest';
import type { Policy } from '../core/policy.ts';
import { loadPolicy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import { loadProfile } from '../core/profile.ts';
import type { RunRecord, SeriesSample } from '../core/run-record.ts';
import { rigTestCalibration } from '../test/support/rig-calibration.ts';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import type { CalibrationRun } from './calibrate.ts';
import { calibrate, demandKeyOf } from './calibrate.ts';
import type { Calibration } from './calibration.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import { predictDes } from './des/predict.ts';
import { findKnee } from './knee.ts';
import type { Prediction } from './prediction.ts';
import { NO_ABUSE } from './rate-limit.ts';

// A known model stands in for the measured system: the DES with service demands the calibration has
// not seen. Run records are written from it as `atlas-cap run` would write them, the calibration reads
// some of them, and predictions at the other load levels are checked against the DES.

const profile = loadProfile('launch-10k');
const policy = loadPolicy('fixed');

/** The truth the calibration must find (different from every default). */
function truth(): Calibration {
  const c = defaultCalibration();
  c.demands['rest.conversations'] = { meanMs: 1.6, scv: 1, source: 'truth' };
  c.demands['rest.messages'] = { meanMs: 0.9, scv: 1, source: 'truth' };
  c.demands['rest.push'] = { meanMs: 2.4, scv: 1, source: 'truth' };
  c.demands['api.message'] = { meanMs: 1.1, scv: 1, source: 'truth' };
  c.requestOverheadMs = { default: 4 };
  return c;
}

function ctx(calibration: Calibration): ModelContext {
  return { calibration, targets: defaultTargets(), cores: 4, abuse: NO_ABUSE };
}

/** A run record as the runner writes it, from a DES prediction of the known model. */
function recordFrom(
  p: Prediction,
  pol: Policy,
  prof: Profile,
  seconds: number,
  t: Calibration,
): CalibrationRun {
  const endpoints: RunRecord['endpoints'] = {};
  for (const e of p.endpoints) {
    if (e.endpoint === 'sync') continue;
    const count = Math.round(e.ratePerSecond * seconds);
    endpoints[e.endpoint] = {
      count,
      errorRate: e.errorShare,
      statuses: { '200': count },
      mean: e.meanMs ?? 0,
      p50: e.p50Ms ?? 0,
      p95: e.p95Ms ?? 0,
      p99: e.p95Ms ?? 0,
      max: e.p95Ms ?? 0,
    };
  }
  const w = p.workload;
  const queryKinds: RunRecord['queryKinds'] = {
    'select.conversations': {
      calls: Math.round((w.requestsPerSecondByEndpoint['rest.conversations'] ?? 0) * seconds),
      meanMs: t.demands['rest.conversations']!.meanMs,
    },
    'select.messages': {
      calls: Math.round((w.requestsPerSecondByEndpoint['rest.messages'] ?? 0) * seconds),
      meanMs: t.demands['rest.messages']!.meanMs,
    },
    // One upsert per push request, as the target does for a non-empty push: the same count.
    'upsert.messages': {
      calls: endpoints['rest.push']?.count ?? 0,
      meanMs: t.demands['rest.push']!.meanMs,
    },
    'message.tier': {
      calls: Math.round(w.messagesPerSecond * seconds * 5),
      meanMs: t.demands['api.message']!.meanMs,
    },
    health: { calls: seconds, meanMs: 0.1 },
  };
  const series: SeriesSample[] = p.series!.t.map((tt, i) => ({
    t: tt,
    requests: w.requestsPerSecond,
    endpoints: {},
    pool: {
      total: pol.database.poolSize,
      inUse: p.series!.busy['db.pool']![i]!,
      idle: 0,
      waiting: p.series!.queued['db.pool']![i]!,
    },
    dbConnections: null,
    upstream: null,
    rateLimited: null,
  }));
  const record = syntheticRunRecord({
    id: `synthetic-${p.users}`,
    scenario: 'launch-mix',
    users: p.users,
    profile: { ...prof },
    policy: { ...pol },
    arrivalRates: w.arrivalRates,
    durationSeconds: seconds,
    endpoints,
    iterations: {
      completed: 1,
      dropped: 0,
      rate: w.syncsPerSecond + w.messagesPerSecond,
      targetRate: w.syncsPerSecond + w.messagesPerSecond,
    },
    sync: {
      mode: 'delta',
      queriesPerSync: w.queriesPerSync,
      dbTimeMsPerSync: 3,
      requestsPerSync: w.requestsPerSync,
    },
    queryKinds,
    loadGenerator: { cpuPercentMean: 10, cpuPercentMax: 20, saturated: false, maxVUs: 100 },
  });
  return { record, series };
}

const measured = (p: Prediction): number =>
  p.endpoints.filter((e) => e.endpoint !== 'sync').reduce((s, e) => s + e.ratePerSecond, 0);

describe('calibrate', () => {
  it('maps the target query kinds to demand keys', () => {
    expect(demandKeyOf('select.conversations')).toBe('rest.conversations');
    expect(demandKeyOf('select.messages')).toBe('rest.messages');
    expect(demandKeyOf('upsert.messages')).toBe('rest.push');
    expect(demandKeyOf('message.usage')).toBe('api.message');
    expect(demandKeyOf('health')).toBeNull();
    expect(demandKeyOf('fault.sleep')).toBeNull();
    expect(demandKeyOf('select.profiles')).toBe('default');
  });

  it('without runs it is the defaults, marked uncalibrated', () => {
    const c = calibrate([]);
    expect(c.calibrated).toBe(false);
    expect(c.demands.default.source).toMatch(/^assumption/);
  });

  it('predicts load levels it was not fitted on: throughput within 15%, p95 within 15% below the knee', () => {
    const t = truth();
    const seconds = 200;
    const run = (users: number, seed: number): CalibrationRun =>
      recordFrom(
        predictDes(profile, policy, users, ctx(t), { seed, durationSeconds: seconds, warmupSeconds: 20 }),
        policy,
        profile,
        seconds,
        t,
      );
    const fitRuns = [run(1000, 1), run(2000, 2), run(3000, 3)];
    const cal = calibrate(fitRuns);
    expect(cal.calibrated).toBe(true);
    expect(cal.demands['rest.conversations']!.meanMs).toBeCloseTo(1.6, 6);
    expect(cal.demands['rest.push']!.meanMs).toBeCloseTo(2.4, 6);
    expect(Math.abs(cal.requestOverheadMs['rest.conversations']! - 4)).toBeLessThan(0.6);
    expect(cal.usl).not.toBeNull();
    expect(cal.usl!.points).toHaveLength(3);

    const knee = findKnee(profile, policy, ctx(cal));
    expect(knee.users).not.toBeNull();
    for (const [users, seed] of [
      [5000, 4],
      [8000, 5],
    ] as const) {
      expect(users).toBeLessThan(knee.users!);
      const truthRun = predictDes(profile, policy, users, ctx(t), {
        seed,
        durationSeconds: seconds,
        warmupSeconds: 20,
      });
      const predicted = predictAnalytic(profile, policy, users, ctx(cal));
      expect(Math.abs(predicted.workload.requestsPerSecond / measured(truthRun) - 1)).toBeLessThan(0.15);
      for (const name of ['rest.conversations', 'sync', 'api.message']) {
        const m = truthRun.endpoints.find((e) => e.endpoint === name)!.p95Ms!;
        const q = predicted.endpoints.find((e) => e.endpoint === name)!.p95Ms!;
        expect(Math.abs(q / m - 1), `${name} p95 at ${users}: predicted ${q}, measured ${m}`).toBeLessThan(
          0.15,
        );
      }
      // Beyond twice the highest calibrated load, the prediction says it extrapolates.
      expect(predicted.extrapolation.beyond2x).toBe(users > 6000);
    }
  });
});

describe('calibrate from target counters', () => {
  const summary = (count: number, mean: number, p50: number, p95: number) => ({
    count,
    errorRate: 0,
    statuses: { '200': count },
    mean,
    p50,
    p95,
    p99: p95,
    max: p95,
  });
  const record = (
    id: string,
    users: number,
    endpoints: RunRecord['endpoints'],
    queryKinds: RunRecord['queryKinds'],
  ) =>
    syntheticRunRecord({
      id,
      scenario: 'launch-mix',
      users,
      profile: { ...profile },
      policy: { ...policy },
      endpoints,
      queryKinds,
    });

  it('base latency fading with load: floor + fade / requests per second over runs at several loads, or flat when asked', () => {
    // 60 s runs at 1000, 2000 and 3000 requests: r = 16.7, 33.3, 50 requests/s.
    const runs = [1000, 2000, 3000].map((n, i) => {
      const r = n / 60;
      return {
        record: record(
          `r${i}`,
          n,
          { 'rest.messages': summary(n, 1, 0.5 + 10 / r, 1.5 + 40 / r) },
          { 'select.messages': { calls: n, meanMs: 0.4 } },
        ),
        series: [],
      };
    });
    const fading = calibrate(runs).baseLatency!['rest.messages']!;
    expect(fading.medianMs).toBeCloseTo(0.5, 9);
    expect(fading.p95Ms).toBeCloseTo(1.5, 9);
    expect(fading.fade!.p95Ms).toBeCloseTo(40, 6);
    expect(fading.fade!.minRequestsPerSecond).toBeCloseTo(1000 / 60, 9);
    const flat = calibrate(runs, { baseLatency: 'flat' }).baseLatency!['rest.messages']!;
    expect(flat.fade).toBeUndefined();
    expect(flat.p95Ms).toBeCloseTo(1.5 + 40 / (2000 / 60), 9);
    // Runs of different scenarios differ in more than load: no fade is read from them.
    const mixed = calibrate(
      runs.map((r, i) => (i === 0 ? { ...r, record: { ...r.record, scenario: 'delta-sync' } } : r)),
    );
    expect(mixed.baseLatency!['rest.messages']!.fade).toBeUndefined();
    expect(mixed.notes.join('\n')).toMatch(/base latency flat: the runs mix/);
  });

  it('push demand per push request; /api/message inserts counted to api.message; base latency (median over runs)', () => {
    const a = record(
      'a',
      1000,
      {
        'rest.push': summary(100, 0.5, 0.3, 1.5),
        'rest.messages': summary(1000, 1, 0.6, 2.4),
        'api.message': summary(4, 700, 600, 1500),
      },
      {
        // 10 inserts: 4 are the messages' user rows, 6 are pushes (94 pushes sent nothing).
        'insert.messages': { calls: 10, meanMs: 3 },
        'select.messages': { calls: 1000, meanMs: 0.5 },
        'message.tier': { calls: 4, meanMs: 1 },
      },
    );
    const b = record(
      'b',
      2000,
      { 'rest.messages': summary(3000, 1.4, 0.8, 3.2) },
      { 'select.messages': { calls: 3000, meanMs: 0.7 } },
    );
    const cal = calibrate([
      { record: a, series: [] },
      { record: b, series: [] },
    ]);
    expect(cal.demands['rest.push']!.meanMs).toBeCloseTo((6 * 3) / 100, 12);
    // 6 of the 100 pushes ran a statement: the rig's pool checks out only those (model-queues.ts).
    expect(cal.statementShare?.['rest.push']?.share).toBeCloseTo(6 / 100, 12);
    expect(cal.statementShare?.['rest.messages']).toBeUndefined();
    expect(cal.demands['api.message']!.meanMs).toBeCloseTo((4 * 3 + 4 * 1) / 8, 12);
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo((1000 * 0.5 + 3000 * 0.7) / 4000, 12);
    expect(cal.connectionOverheadMs).toBe(0);
    // Outside the database: mean latency minus the statement, request-weighted over both runs.
    const d = cal.demands['rest.messages']!.meanMs;
    expect(cal.requestOverheadMs['rest.messages']).toBeCloseTo(
      (1000 * (1 - d) + 3000 * (1.4 - d)) / 4000,
      12,
    );
    expect(cal.baseLatency!['rest.messages']!.medianMs).toBeCloseTo((0.6 + 0.8) / 2, 12);
    expect(cal.baseLatency!['rest.messages']!.p95Ms).toBeCloseTo((2.4 + 3.2) / 2, 12);
    // The analytical p95 of an idle endpoint is the measured log-normal's.
    const p = predictAnalytic(profile, policy, 10, ctx(cal));
    const e = p.endpoints.find((x) => x.endpoint === 'rest.messages')!;
    expect(e.p95Ms!).toBeCloseTo(cal.baseLatency!['rest.messages']!.p95Ms, 3);
    expect(e.p50Ms!).toBeCloseTo(cal.baseLatency!['rest.messages']!.medianMs, 3);
  });

  it("push's two paths: each path's base latency, the share with a row, and the rig's p95 of their mixture", () => {
    // Each run: 184 empty pushes and 16 with a row (8 %); the paths' own figures differ by run.
    const run = (id: string, users: number, emptyMedian: number, rows: [number, number]) => ({
      record: {
        ...record(
          id,
          users,
          { 'rest.push': summary(200, 1, 0.6, 1.2) },
          { 'insert.messages': { calls: 16, meanMs: 0.5 } },
        ),
        batches: {
          'rest.push/empty': { ...summary(184, 0.6, emptyMedian, emptyMedian * 1.5), p99: emptyMedian * 2 },
          'rest.push/rows': summary(16, 100, ...rows),
        },
      },
      series: [],
    });
    const cal = calibrate([run('a', 1000, 0.5, [90, 130]), run('b', 2000, 0.7, [110, 170])]);
    // Two runs: the median over runs of each path's figures (fewer than three runs: no fade); the
    // empty path's p95 is 1.5 × its median in both: 0.75 and 1.05.
    expect(cal.baseLatency!['rest.push/empty']!.medianMs).toBeCloseTo(0.6, 12);
    expect(cal.baseLatency!['rest.push/empty']!.p95Ms).toBeCloseTo(0.9, 12);
    expect(cal.baseLatency!['rest.push/rows']).toMatchObject({ medianMs: 100, p95Ms: 150 });
    expect(cal.batchShare!['rest.push/rows']!.share).toBeCloseTo(32 / 400, 12);
    expect(cal.batchShare!['rest.push/rows']!.source).toMatch(/32 of 400 pushes carried a row in runs a, b/);
    // On the rig, at a load too light to queue, with a profile whose change share (the probability the
    // scenario sends a row with) is 10 %: 90 % of pushes on a path that is over by 3 ms and 10 % on one
    // that starts near 30 ms, so the mixture's p95 is the row path's (0.95 − 0.9) / 0.1 = 50th
    // percentile: its median, 100 ms. The runs' count, 8 %, would read its 1 − 0.05 / 0.08 = 37.5th
    // percentile instead: 100·e^(0.2465·(−0.3186)) = 92.4 ms. The endpoint's own one log-normal
    // (median 0.6, p95 1.2) would say 1.2 ms.
    const rig = {
      ...ctx({ ...cal, cpu: rigTestCalibration().cpu! }),
      placement: { kind: 'rig' as const, cores: 2 },
    };
    const tenPercent = { ...profile, changeSharePer30s: 0.1 };
    const push = predictAnalytic(tenPercent, policy, 10, rig).endpoints.find(
      (x) => x.endpoint === 'rest.push',
    )!;
    expect(push.p95Ms!).toBeCloseTo(100, 1);
    // Its median is the empty path's at 0.5 / 0.9 = 0.5556 (z = 0.1397), σ = ln 1.5 / 1.6449 = 0.2465:
    // 0.6·e^(0.2465·0.1397) = 0.6210 ms.
    expect(push.p50Ms!).toBeCloseTo(0.621, 3);
    // A deployment (PostgREST runs a statement for every push) keeps the endpoint's one log-normal.
    const deployed = predictAnalytic(tenPercent, policy, 10, ctx(cal)).endpoints.find(
      (x) => x.endpoint === 'rest.push',
    )!;
    expect(deployed.p95Ms!).toBeCloseTo(1.2, 2);
  });
});
