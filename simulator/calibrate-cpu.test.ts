import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/run-record.ts';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import { calibrate } from './calibrate.ts';
import {
  calibrateCpu,
  chainGapMsOf,
  fitLinearNonNegative,
  measuredChainLoad,
  measuredProcessorSharingWait,
  otherCoresOf,
  stolenCoresOf,
  syncStreamsOf,
  withoutCpuWait,
} from './calibrate-cpu.ts';
import { coresAt, cpuCalibrationAt } from './cpu-at-load.ts';
import { logNormalFromMedianP95, logNormalMean, logNormalVariance } from './distributions.ts';
import { LOOP_PREEMPTION_MS } from './event-loop.ts';
import { atKneeProbeSpeed } from './machine-speed.ts';
import { latency, latencyQuantile, queue } from './queueing.ts';

/** A run record with the CPU the runner measures, from a known linear truth. */
/** An endpoint's summary for `perSecond` requests a second over `seconds`, latencies from `mean`. */
function endpointSummary(perSecond: number, seconds: number, mean: number) {
  return {
    count: Math.round(perSecond * seconds),
    errorRate: 0,
    statuses: { '200': Math.round(perSecond * seconds) },
    mean,
    p50: mean * 0.8,
    p95: mean * 2,
    p99: mean * 3,
    max: mean * 4,
  };
}

function record(users: number, cpu: boolean): RunRecord {
  const seconds = 60;
  const conv = users / 300; // requests/s
  const msgs = conv * 50;
  const push = conv;
  const requests = conv + msgs + push;
  const statementMsPerSecond = conv * 0.9 + msgs * 0.45 + push * 0.02;
  const summary = (n: number, mean: number) => endpointSummary(n, seconds, mean);
  // Truth: target 0.02 cores + 0.4 ms/request, database 0.01 + 0.6 × statement time, k6 0.3 ms/request,
  // 0.1 cores of other work on the host.
  const target = 0.02 + (requests * 0.4) / 1000;
  const database = 0.01 + (statementMsPerSecond * 0.6) / 1000;
  const k6 = (requests * 0.3) / 1000;
  const window = 60.2;
  const group = (cores: number, what: string) => ({
    cpuSeconds: cores * window,
    cpuPercentMean: cores * 100,
    cpuPercentMax: cores * 150,
    processes: what,
  });
  return syntheticRunRecord({
    id: `cpu-${users}`,
    scenario: 'full-sync',
    users,
    durationSeconds: seconds,
    endpoints: {
      'rest.conversations': summary(conv, 2),
      'rest.messages': summary(msgs, 0.75),
      'rest.push': summary(push, 0.45),
      healthz: summary(1, 0.2),
    },
    iterations: { completed: 1, dropped: 0, rate: conv, targetRate: conv },
    queryKinds: {
      'select.conversations': { calls: conv * seconds, meanMs: 0.9 },
      'select.messages': { calls: msgs * seconds, meanMs: 0.45 },
      'insert.messages': { calls: push * seconds, meanMs: 0.02 },
      health: { calls: 1000, meanMs: 5 },
    },
    loadGenerator: { cpuPercentMean: k6 * 100, cpuPercentMax: 50, saturated: false, maxVUs: 10 },
    ...(cpu
      ? {
          cpu: {
            windowSeconds: window,
            host: {
              cpuSeconds: (target + database + k6 + 0.1) * window,
              cpuPercentMean: 0,
              cpuPercentMax: 0,
            },
            target: group(target, 'target'),
            database: group(database, 'postgres'),
            loadGenerator: group(k6, 'k6'),
            runner: null,
          },
        }
      : {}),
  });
}

const workloadKind = (k: string): boolean => k !== 'health';

describe('CPU calibration', () => {
  it('a line with a non-negative intercept; a negative one refits through the origin', () => {
    const exact = fitLinearNonNegative([1, 2, 3].map((x) => ({ x, y: 0.5 + 2 * x })));
    expect(exact.perUnit).toBeCloseTo(2, 12);
    expect(exact.fixed).toBeCloseTo(0.5, 12);
    expect(exact.r2).toBeCloseTo(1, 12);
    const origin = fitLinearNonNegative([
      { x: 1, y: 1 },
      { x: 2, y: 3 },
      { x: 3, y: 5 },
    ]);
    expect(origin.fixed).toBe(0);
    expect(origin.perUnit).toBeCloseTo((1 + 6 + 15) / 14, 12);
    expect(fitLinearNonNegative([{ x: 4, y: 2 }])).toMatchObject({ perUnit: 0.5, fixed: 0, r2: null });
  });

  it('recovers CPU per request of target and k6, the database CPU share and the other load from runs', () => {
    const runs = [1500, 3000, 4500].map((u) => record(u, true));
    const overhead = { 'rest.conversations': 1.1, 'rest.messages': 0.3, 'rest.push': 0.43 };
    const c = calibrateCpu(runs, overhead, workloadKind)!;
    expect(c.cpu.app.perUnit).toBeCloseTo(0.4, 9);
    expect(c.cpu.app.fixedCores).toBeCloseTo(0.02, 9);
    expect(c.cpu.database.perUnit).toBeCloseTo(0.6, 9);
    expect(c.cpuShareOfDbTime).toBeCloseTo(0.6, 9);
    expect(c.cpu.database.fixedCores).toBeCloseTo(0.01, 9);
    expect(c.cpu.loadGenerator.perUnit).toBeCloseTo(0.3, 9);
    expect(c.cpu.otherCores).toBeCloseTo(0.1, 9);
    expect(c.cpu.rigCores).toBe(2);
    expect(c.cpu.app.source).toMatch(/^calibrated: .*3 run\(s\)/);
    // The split keeps the request-weighted mean and the ratio of the times outside the database.
    const a = c.cpu.appMsPerRequest;
    expect(a['rest.conversations']! / a['rest.messages']!).toBeCloseTo(1.1 / 0.3, 9);
    const n = { 'rest.conversations': 1, 'rest.messages': 50, 'rest.push': 1 };
    const mean =
      (n['rest.conversations'] * a['rest.conversations']! +
        n['rest.messages'] * a['rest.messages']! +
        n['rest.push'] * a['rest.push']!) /
      52;
    expect(mean).toBeCloseTo(0.4, 6);
    expect(a.healthz).toBeUndefined();
  });

  it("a run's other load is the host minus the three groups; of it, the stolen cores when recorded", () => {
    const r = record(3000, true);
    expect(otherCoresOf(r)).toBeCloseTo(0.1, 9);
    expect(stolenCoresOf(r)).toBeNull();
    const w = r.cpu!.windowSeconds;
    const withSteal = { ...r, cpu: { ...r.cpu!, host: { ...r.cpu!.host, stealSeconds: 0.04 * w } } };
    expect(stolenCoresOf(withSteal)).toBeCloseTo(0.04, 9);
    expect(stolenCoresOf(record(3000, false))).toBeNull();
    expect(otherCoresOf(record(3000, false))).toBeNull();
  });

  it('the stolen cores are apart from the other load: their median is the machine usual', () => {
    // Each run's other load is 0.1 cores, of which 0.04, 0.10 and 0.06 stolen: other processes 0.06, 0
    // and 0.04 (mean 1/30), stolen median 0.06.
    const stolen = [0.04, 0.1, 0.06];
    const runs = [1500, 3000, 4500].map((users, i) => {
      const r = record(users, true);
      const w = r.cpu!.windowSeconds;
      return { ...r, cpu: { ...r.cpu!, host: { ...r.cpu!.host, stealSeconds: stolen[i]! * w } } };
    });
    const c = calibrateCpu(runs, {}, workloadKind)!.cpu;
    expect(c.otherCores).toBeCloseTo(0.1 / 3, 9);
    expect(c.stolenCores).toBeCloseTo(0.06, 9);
  });

  it("a knee probe joins the target's and k6's curves only: the database's line and the split stay the fit's", () => {
    const fitRuns = [1500, 3000, 4500].map((u) => record(u, true));
    const overhead = { 'rest.conversations': 1.1, 'rest.messages': 0.3, 'rest.push': 0.43 };
    // On the truth's line the fit runs alone give no curve (a line); a probe on the same line keeps it:
    // F 0.02 cores and 0.4 ms a request for the target, 0.3 ms for k6, no wake-up part.
    const onLine = calibrateCpu(fitRuns, overhead, workloadKind, null, [record(9000, true)])!.cpu;
    expect(calibrateCpu(fitRuns, overhead, workloadKind)!.cpu.app.amortised).toBeUndefined();
    expect(onLine.app.amortised).toMatchObject({ wakeMsPerRequest: 0 });
    expect(onLine.app.amortised!.fixedCores).toBeCloseTo(0.02, 9);
    expect(onLine.app.amortised!.msPerRequest).toBeCloseTo(0.4, 9);
    expect(onLine.loadGenerator.amortised!.msPerRequest).toBeCloseTo(0.3, 9);
    // A probe whose target and k6 use a fifth less than the line there, and whose statements took three
    // times as long (contended): the database's share, the split and the other load are the fit's.
    const probe = record(9000, true);
    const c = probe.cpu!;
    const less = (g: NonNullable<typeof c.target>) => ({ ...g, cpuSeconds: g.cpuSeconds * 0.8 });
    const slow = Object.fromEntries(
      Object.entries(probe.queryKinds).map(([k, v]) => [k, { ...v, meanMs: v.meanMs * 3 }]),
    );
    const lower = {
      ...probe,
      queryKinds: slow,
      cpu: { ...c, target: less(c.target!), loadGenerator: less(c.loadGenerator!) },
    };
    const without = calibrateCpu(fitRuns, overhead, workloadKind)!;
    const withProbe = calibrateCpu(fitRuns, overhead, workloadKind, null, [lower])!;
    expect(withProbe.cpu.database).toEqual(without.cpu.database);
    expect(withProbe.cpuShareOfDbTime).toBe(without.cpuShareOfDbTime);
    expect(withProbe.cpu.appMsPerRequest).toEqual(without.cpu.appMsPerRequest);
    expect(withProbe.cpu.otherCores).toBeCloseTo(0.1, 9);
    expect(withProbe.cpu.app.amortised!.source).toMatch(/1 knee probe\(s\) \(cpu-9000\)/);
    // Four loads, three of them on a line, cannot all lie on one curve of three parameters: at the
    // probe's load the curve lies between the line (the truth, 0.02 + 0.4·λ) and the probe's 0.8 of it.
    const lambda = (9000 / 300) * 52;
    const line = 0.02 + (lambda * 0.4) / 1000;
    const curve = coresAt(withProbe.cpu.app, lambda);
    expect(curve).toBeLessThan(line);
    expect(curve).toBeGreaterThan(line * 0.8);
  });

  it("a knee probe on a faster machine state joins the curves at the fit's speed; the knee reads them at the probe's", () => {
    // Each run's syscall probe as read at its host's busy share u: an idle-host figure × (1 + 0.55·u)
    // (machine-speed.ts PROBE_LOAD_SLOPE), so the fit runs' idle figure is 1 µs and the probe's 0.5.
    const probed = (r: RunRecord, idleUs: number): RunRecord => {
      const u = r.cpu!.host.cpuSeconds / (r.cpu!.windowSeconds * r.machine.cores);
      return {
        ...r,
        cpu: { ...r.cpu!, syscallProbe: { usPerCall: idleUs * (1 + 0.55 * u), samples: 5, method: 'test' } },
      };
    };
    const fitRuns = [1500, 3000, 4500].map((u) => probed(record(u, true), 1));
    // At 0.5 of the fit's speed, out of the ×1.2 noise band, the ratio is 0.5 × 1.2 = 0.6, and every
    // duration scales by 0.6^0.6 = 0.73602: the probe's target and k6 measured at that much of the line.
    const k = 0.6 ** 0.6;
    const truth = probed(record(9000, true), 0.5);
    const c = truth.cpu!;
    const scaled = (g: NonNullable<typeof c.target>) => ({ ...g, cpuSeconds: g.cpuSeconds * k });
    const probe = {
      ...truth,
      cpu: { ...c, target: scaled(c.target!), loadGenerator: scaled(c.loadGenerator!) },
    };
    const cal = calibrateCpu(fitRuns, {}, workloadKind, null, [probe])!.cpu;
    expect(cal.syscallProbeUs).toBeCloseTo(1, 9);
    expect(cal.kneeProbeSpeedRatio).toBeCloseTo(0.6, 9);
    // Taken back to the fit's speed the probe lies on the line: 0.02 cores + 0.4 ms a request, k6 0.3.
    expect(cal.app.amortised!.wakeMsPerRequest).toBeCloseTo(0, 6);
    expect(cal.app.amortised!.msPerRequest).toBeCloseTo(0.4, 6);
    expect(cal.loadGenerator.amortised!.msPerRequest).toBeCloseTo(0.3, 6);
    // Read at the probes' speed, the curve gives back what the probe measured at its load.
    const lambda = (9000 / 300) * 52;
    const full = calibrate([
      ...fitRuns.map((record) => ({ record, series: [] })),
      { record: probe, series: [], kneeProbe: true },
    ]);
    const atKnee = atKneeProbeSpeed(full).cpu!;
    expect(coresAt(atKnee.app, lambda)).toBeCloseTo((0.02 + (lambda * 0.4) / 1000) * k, 6);
    // Without syscall probes nothing is taken back and the knee is read as calibrated.
    const plain = calibrateCpu(
      [1500, 3000, 4500].map((u) => record(u, true)),
      {},
      workloadKind,
      null,
      [record(9000, true)],
    )!.cpu;
    expect(plain.kneeProbeSpeedRatio).toBeUndefined();
  });

  it('calibrate() reads a knee probe for the CPU curves alone: its contended statement times are neither demands nor database CPU', () => {
    const fitRuns = [1500, 3000, 4500].map((u) => ({ record: record(u, true), series: [] }));
    const probe = record(9000, true);
    const slow = Object.fromEntries(
      Object.entries(probe.queryKinds).map(([k, v]) => [k, { ...v, meanMs: v.meanMs * 3 }]),
    );
    const without = calibrate(fitRuns);
    const cal = calibrate([
      ...fitRuns,
      { record: { ...probe, queryKinds: slow }, series: [], kneeProbe: true },
    ]);
    expect(cal.demands).toEqual(without.demands);
    expect(cal.requestOverheadMs).toEqual(without.requestOverheadMs);
    // The database's line is the fit runs'; the probe joins its curve by its statements' count at the
    // fit runs' mean times, not its contended times, so on the truth's line the curve is that line.
    const { amortised: dbCurve, ...dbLine } = cal.cpu!.database;
    expect(dbLine).toEqual(without.cpu!.database);
    expect(dbCurve!.wakeMsPerRequest).toBe(0);
    expect(dbCurve!.fixedCores).toBeCloseTo(without.cpu!.database.fixedCores, 9);
    expect(dbCurve!.msPerRequest).toBeCloseTo(without.cpu!.database.perUnit, 9);
    expect(without.cpu!.app.amortised).toBeUndefined();
    expect(cal.cpu!.app.amortised).toBeDefined();
    expect(cal.notes).toContain(
      'knee probes: cpu-9000 join the CPU-at-load curves (and, uncontended, the REST base latencies)',
    );
    // The same run as a fit run enters the statement times.
    const asFit = calibrate([...fitRuns, { record: { ...probe, queryKinds: slow }, series: [] }]);
    expect(asFit.demands).not.toEqual(without.demands);
  });

  it('an uncontended knee probe joins the REST base latencies; one with requests waiting for a connection does not', () => {
    // Fit runs whose messages p95 is 1.5 ms at every load (flat: no fade), and a probe at 9,000 users
    // measuring 1.2 ms (p50 0.5). No CPU records, so no wait is taken out: the points are as measured.
    const fitRuns = [1500, 3000, 4500].map((u) => ({ record: record(u, false), series: [] }));
    const probeRecord = record(9000, false);
    const probe = {
      ...probeRecord,
      endpoints: {
        ...probeRecord.endpoints,
        'rest.messages': { ...probeRecord.endpoints['rest.messages']!, p50: 0.5, p95: 1.2 },
      },
    };
    const without = calibrate(fitRuns);
    expect(without.baseLatency!['rest.messages']!.medianMs).toBeCloseTo(0.6, 12);
    expect(without.baseLatency!['rest.messages']!.p95Ms).toBeCloseTo(1.5, 12);
    expect(without.baseLatency!['rest.messages']!.fade).toBeUndefined();
    // Requests reaching the target: 52 per sync at users/300 syncs a second (260, 520, 780, 1560 a second);
    // p95 = floor + fade / r by least squares over the four runs, written out.
    const xs = [260, 520, 780, 1560].map((r) => 1 / r);
    const ys = [1.5, 1.5, 1.5, 1.2];
    const mx = xs.reduce((a, b) => a + b) / 4;
    const my = ys.reduce((a, b) => a + b) / 4;
    const fade =
      xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const floor = my - fade * mx;
    const cal = calibrate([...fitRuns, { record: probe, series: [], kneeProbe: true }]);
    const b = cal.baseLatency!['rest.messages']!;
    expect(b.p95Ms).toBeCloseTo(floor, 9);
    expect(b.fade!.p95Ms).toBeCloseTo(fade, 9);
    expect(b.fade!.maxRequestsPerSecond).toBeCloseTo(1560, 9);
    expect(b.source).toContain('cpu-9000');
    expect(cal.notes).toContain(
      'knee probes cpu-9000 join the REST base latencies (no requests waiting for a connection)',
    );
    // The same probe with 2 requests waiting for a connection in the mean keeps the fit runs' base.
    const waiting = [0, 1, 2].map((t) => ({
      t,
      requests: 100,
      endpoints: {},
      pool: { total: 10, inUse: 10, idle: 0, waiting: 2 },
      dbConnections: null,
      upstream: null,
      rateLimited: null,
    }));
    const contended = calibrate([...fitRuns, { record: probe, series: waiting, kneeProbe: true }]);
    expect(contended.baseLatency).toEqual(without.baseLatency);
  });

  it('old records without `cpu` give no CPU calibration', () => {
    expect(calibrateCpu([record(1500, false)], {}, workloadKind)).toBeNull();
  });

  it('removing the core wait inverts adding it: the base median and p95 come back', () => {
    const base = { medianMs: 1.8, p95Ms: 4.2 };
    const ln = logNormalFromMedianP95(base.medianMs, base.p95Ms);
    const m = logNormalMean(ln);
    const q = queue(2, 1, 1400, 1); // 1.4 of 2 cores busy
    const cpuMs = 1.5;
    const l = latency(
      0,
      [{ probability: q.probabilityOfWaiting, meanMs: cpuMs / (2 - 1.4) }],
      m,
      logNormalVariance(ln) / (m * m),
    );
    const measured = { medianMs: latencyQuantile(l, 0.5), p95Ms: latencyQuantile(l, 0.95) };
    expect(measured.p95Ms).toBeGreaterThan(base.p95Ms + 1);
    const back = withoutCpuWait(measured, measuredProcessorSharingWait(cpuMs, 1.4, 2));
    expect(back.medianMs).toBeCloseTo(base.medianMs, 3);
    expect(back.p95Ms).toBeCloseTo(base.p95Ms, 3);
    expect(withoutCpuWait(measured, measuredProcessorSharingWait(0, 1.4, 2))).toEqual(measured);
    expect(withoutCpuWait(measured, null)).toEqual(measured);
  });
});

/** record() with its syncs as chains: two sync scenarios, 52 requests a sync, `gapMs` of k6 between them. */
function chained(users: number, gapMs: number): RunRecord {
  const r = record(users, true);
  const syncs = r.endpoints['rest.conversations']!.count;
  const requests = ['rest.conversations', 'rest.messages', 'rest.push'].reduce(
    (n, e) => n + r.endpoints[e]!.count,
    0,
  );
  const latencyMs = 1 * 2 + 50 * 0.75 + 1 * 0.45;
  return {
    ...r,
    iterations: {
      ...r.iterations,
      completed: syncs,
      byScenario: { sync_active: syncs / 4, sync_recent: (3 * syncs) / 4, other: 7 },
      meanDurationMs: latencyMs + (requests / syncs) * gapMs,
    },
    sync: { mode: 'full', queriesPerSync: 52, dbTimeMsPerSync: 23, requestsPerSync: requests / syncs },
  };
}

describe('the rig as chains, from run records', () => {
  it('reads the sync streams, the gap between requests and the load as measured', () => {
    const r = chained(3000, 0.6);
    const syncs = r.endpoints['rest.conversations']!.count / 60;
    expect(syncStreamsOf(r)).toEqual([syncs / 4, (3 * syncs) / 4]);
    expect(chainGapMsOf(r)).toBeCloseTo(0.6, 9);
    const load = measuredChainLoad(r, () => 0.5, 1.2, 2)!;
    const requestsPerSecond = (52 * r.endpoints['rest.conversations']!.count) / 60;
    expect(load.chainCores).toBeCloseTo((requestsPerSecond * 0.5) / 1000, 9);
    expect(load.backgroundCores).toBeCloseTo(1.2 - load.chainCores, 9);
    expect(load.syncSeconds).toBeCloseTo(r.iterations.meanDurationMs! / 1000, 12);
    // Older records, without streams or durations: no chains.
    expect(syncStreamsOf(record(3000, true))).toBeNull();
    expect(chainGapMsOf(record(3000, true))).toBeNull();
    expect(measuredChainLoad(record(3000, true), () => 0.5, 1.2, 2)).toBeNull();
  });

  it('calibrate() keeps the chains when every run recorded them, and processor sharing when asked or not', () => {
    const runs = [1500, 3000, 4500].map((u) => ({ record: chained(u, 0.4 + u / 15000), series: [] }));
    const cal = calibrate(runs);
    expect(cal.cpu!.chains!.gapMsPerRequest).toBeCloseTo(0.6, 9);
    expect(calibrate(runs, { hostWait: 'processor-sharing' }).cpu!.chains).toBeUndefined();
    const mixed = [...runs, { record: record(6000, true), series: [] }];
    const c2 = calibrate(mixed);
    expect(c2.cpu!.chains).toBeUndefined();
    expect(c2.notes.join('\n')).toMatch(/processor sharing of independent requests/);
  });
});

describe('uncontended demands (issue 12): each fit run freed of its own waits', () => {
  // Truth on 2 cores: statements of 0.9 (conversations), 0.45 (messages) and 0.02 ms (push), 0.6 of it
  // CPU; the target 0.1 ms of CPU per request (+0.02 cores), k6 0.3 ms, 0.1 cores of other load. Each
  // statement's measured time holds its CPU's processor-sharing wait on the host, M/M/2 worked by hand
  // (C = A²/(2 + A), mean wait C·x/(2 − A)), and one turn of the target's event loop: two passes per
  // request of 0.05 ms × the stretch its one thread sees, s = 1 + C'/(2 − A') at the others' load
  // A' = A − the target's cores (its turns queue on the loop, not for cores; thread-host.ts), and the
  // target's fixed CPU as more such passes, M/G/1 with exponential passes, W = λ·2S²/(2(1 − λS)),
  // and the stall while the thread is preempted.
  // With `congestion` (κ, and the run's busy connections B): each statement's CPU is × (1 + κ(B − 2)),
  // B past the 2 cores, and the statement lasts that much longer (db-congestion.ts).
  function contended(
    users: number,
    congestion = { kappa: 0, busy: 0 },
    databaseCores?: (statementSecondsPerSecond: number) => number,
  ): RunRecord {
    const seconds = 60;
    const conv = users / 300;
    const f = 1 + congestion.kappa * Math.max(0, congestion.busy - 2);
    const d = {
      'rest.conversations': 0.9 * (1 + 0.6 * (f - 1)),
      'rest.messages': 0.45 * (1 + 0.6 * (f - 1)),
      'rest.push': 0.02 * (1 + 0.6 * (f - 1)),
    };
    const requests = conv * 52;
    const stmtSeconds = (conv * 0.9 + conv * 50 * 0.45 + conv * 0.02) / 1000;
    const target = 0.02 + (requests * 0.1) / 1000;
    const database = databaseCores ? databaseCores(stmtSeconds) : 0.01 + 0.6 * stmtSeconds * f;
    const k6 = (requests * 0.3) / 1000;
    const host = target + database + k6 + 0.1;
    const C = (host * host) / (2 + host);
    const others = host - target;
    const s = 1 + (others * others) / (2 + others) / (2 - others);
    const pass = 0.05 * s;
    // The target's fixed 0.02 cores run on the same thread: 0.02 / 0.05 ms = 400 more passes a second.
    const passesPerMs = (2 * requests + 0.02 / 0.05e-3) / 1000;
    // And, kept apart, the stall while its thread is preempted: the passes' busy share × (1 − 1/s)
    // of the wall clock, a competitor's turn (event-loop.ts LOOP_PREEMPTION_MS) each.
    const loopWait =
      (passesPerMs * 2 * pass * pass) / (2 * (1 - passesPerMs * pass)) +
      passesPerMs * pass * (1 - 1 / s) * LOOP_PREEMPTION_MS;
    const measured = (e: keyof typeof d) =>
      d[e] + (C * 0.6 * f * (d[e] / (1 + 0.6 * (f - 1)))) / (2 - host) + loopWait;
    return fullSyncCpuRecord({
      id: `contended-${users}`,
      users,
      seconds,
      conv,
      statementMs: measured,
      cores: { host, target, database, k6 },
    });
  }

  it('recovers the statements without waits and the CPU share of that time', () => {
    const runs = [3000, 6000, 9000].map((u) => contended(u));
    // The measured means are contended: 9,000 users' messages take 0.45 + 0.143 + 0.020 ms.
    expect(runs[2]!.queryKinds['select.messages']!.meanMs).toBeGreaterThan(0.6);
    const cal = calibrate(runs.map((record) => ({ record, series: [] })));
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo(0.45, 3);
    // Conversations within 1 %: the CPU share is fitted on the kinds' mean times, which hold the loop's
    // wait (0.029 ms at 9,000 users with its stall, the same for every kind), and conversations'
    // few statements bear the weighting's error (0.4 % here).
    expect(Math.abs(cal.demands['rest.conversations']!.meanMs / 0.9 - 1)).toBeLessThan(0.01);
    // The push's statement is mostly wait (0.02 ms of work, 0.020 of loop): its CPU, taken as the one
    // slope × its mean measured time, is overstated, so it is freed a little too much (0.0176).
    expect(cal.demands['rest.push']!.meanMs).toBeCloseTo(0.02, 2);
    // CPU per ms of uncontended statement: the truth's 0.6 (the old fit on contended times gave less).
    expect(cal.cpuShareOfDbTime).toBeCloseTo(0.6, 2);
    expect(cal.cpu!.database.fixedCores).toBeCloseTo(0.01, 3);
    expect(cal.demands['rest.messages']!.source).toMatch(/freed of each fit run's own waits/);
    // On a line the database's CPU has no wake-up to amortise.
    expect(cal.cpu!.database.amortised).toBeUndefined();
  });

  it("fits the database's CPU per ms of statement falling with load, and reads it at a load (cpu-at-load.ts)", () => {
    // Truth: cores = (0.01 + λ(0.3 + 0.5))/(1 + 0.5λ), λ in s of statement per s: 0.3 ms of CPU a ms
    // of statement on a busy database, 0.5 more onto an idle one (falls from 0.79 to 0.66 here).
    const truth = (λ: number): number => (0.01 + λ * 0.8) / (1 + 0.5 * λ);
    const runs = [3000, 6000, 9000].map((u) => ({ record: contended(u, undefined, truth), series: [] }));
    const cal = calibrate(runs);
    const a = cal.cpu!.database.amortised!;
    expect(a.wakeMsPerRequest).toBeGreaterThan(0.3);
    expect(a.source).toMatch(/ms of statement time per second/);
    // The rig at 12,000 users: the model's statement time a second at the freed demands, its database
    // cores at its share there against the truth at the same statements (the line overshoots).
    const conv = 12000 / 300;
    const rates = { 'rest.conversations': conv, 'rest.messages': conv * 50, 'rest.push': conv };
    const stmtMs = Object.entries(rates).reduce((s, [k, r]) => s + r * cal.demands[k]!.meanMs, 0);
    const at = cpuCalibrationAt(cal, conv * 52, stmtMs);
    const cores = (stmtMs * at.cpuShareOfDbTime) / 1000 + at.cpu!.database.fixedCores;
    const trueCores = truth((conv * 0.9 + conv * 50 * 0.45 + conv * 0.02) / 1000);
    const lineCores = (stmtMs * cal.cpuShareOfDbTime) / 1000 + cal.cpu!.database.fixedCores;
    expect(Math.abs(cores / trueCores - 1)).toBeLessThan(0.02);
    expect(lineCores / trueCores - 1).toBeGreaterThan(0.05);
  });

  it("a knee probe whose database spent less CPU a statement than the line joins the database's curve", () => {
    const fitRuns = [3000, 6000, 9000].map((u) => ({ record: contended(u), series: [] }));
    const probe = contended(15000);
    const c = probe.cpu!;
    const lighter = {
      ...probe,
      cpu: { ...c, database: { ...c.database!, cpuSeconds: c.database!.cpuSeconds * 0.85 } },
    };
    expect(calibrate(fitRuns).cpu!.database.amortised).toBeUndefined();
    const cal = calibrate([...fitRuns, { record: lighter, series: [], kneeProbe: true }]);
    const a = cal.cpu!.database.amortised!;
    expect(a.wakeMsPerRequest).toBeGreaterThan(0);
    expect(a.source).toMatch(/1 knee probe/);
    // The linear share stays the fit runs'.
    expect(cal.cpuShareOfDbTime).toBeCloseTo(calibrate(fitRuns).cpuShareOfDbTime, 9);
  });

  it("takes each run's database CPU and statements back to no busy connection by its measured pool (db-congestion.ts)", () => {
    // κ 0.04 on 2 cores; the runs' pools had 1, 5 and 8 connections busy: CPU per statement × 1, 1.12,
    // 1.24.
    const busy = [1, 5, 8];
    const runs = [3000, 6000, 9000].map((u, i) => ({
      record: contended(u, { kappa: 0.04, busy: busy[i]! }),
      series: [0, 1].map((t) => ({
        t,
        requests: 0,
        endpoints: {},
        // Mean in use over the samples: busy (one second above it, one below).
        pool: { total: 10, inUse: busy[i]! + (t === 0 ? 0.5 : -0.5), idle: 0, waiting: 0 },
        dbConnections: null,
        upstream: null,
        rateLimited: null,
      })),
    }));
    const cal = calibrate(runs, { dbCongestion: 0.04 });
    expect(cal.cpu!.dbCongestion!.perBusyConnection).toBe(0.04);
    expect(cal.cpuShareOfDbTime).toBeCloseTo(0.6, 2);
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo(0.45, 2);
    // Within 1 %, as above (0.7 % here).
    expect(Math.abs(cal.demands['rest.conversations']!.meanMs / 0.9 - 1)).toBeLessThan(0.01);
    // Without it, the congested runs' extra CPU reads as a dearer statement at every load.
    const unaware = calibrate(runs, { dbCongestion: 0 });
    expect(unaware.cpu!.dbCongestion).toBeUndefined();
    const cpuOf = (c: typeof cal) => c.cpuShareOfDbTime * c.demands['rest.messages']!.meanMs;
    expect(cpuOf(unaware) / cpuOf(cal)).toBeGreaterThan(1.05);
  });
});

describe('a one-core database on the fit runs (--db-cores 1, issue 12 item 6)', () => {
  // Truth on a 2-core host with the database server pinned to one core: statements of 2.0
  // (conversations), 1.0 (messages) and 0.05 ms (push), 0.8 of it CPU (+0.01 cores fixed); the target
  // 0.1 ms of CPU per request (+0.02 cores), k6 0.3 ms, 0.1 cores of other load. The database's core is
  // M/G/1-PS at its load ρ (statements' CPU + fixed), so a statement of CPU x waits x·ρ/(1 − ρ); that is
  // larger than the host's wait C·x/(2 − A) on every run here (the larger stretch is the one taken). One
  // turn of the event loop as in the block above (its passes stretched as its thread sees the host, the
  // others' load A − target, which the pinned database does not change).
  function oneCore(users: number, dbCores: number | null = 1): RunRecord {
    const seconds = 60;
    const conv = users / 300;
    const d = { 'rest.conversations': 2.0, 'rest.messages': 1.0, 'rest.push': 0.05 };
    const requests = conv * 52;
    const stmtSeconds = (conv * 2.0 + conv * 50 * 1.0 + conv * 0.05) / 1000;
    const target = 0.02 + (requests * 0.1) / 1000;
    const database = 0.01 + 0.8 * stmtSeconds;
    const k6 = (requests * 0.3) / 1000;
    const host = target + database + k6 + 0.1;
    const C = (host * host) / (2 + host);
    const onHost = C / (2 - host);
    const onDb = database / (1 - database);
    const others = host - target;
    const s = 1 + (others * others) / (2 + others) / (2 - others);
    const pass = 0.05 * s;
    const passesPerMs = (2 * requests + 0.02 / 0.05e-3) / 1000;
    // And, kept apart, the stall while its thread is preempted: the passes' busy share × (1 − 1/s)
    // of the wall clock, a competitor's turn (event-loop.ts LOOP_PREEMPTION_MS) each.
    const loopWait =
      (passesPerMs * 2 * pass * pass) / (2 * (1 - passesPerMs * pass)) +
      passesPerMs * pass * (1 - 1 / s) * LOOP_PREEMPTION_MS;
    const measured = (e: keyof typeof d) => d[e] + 0.8 * d[e] * Math.max(onDb, onHost) + loopWait;
    return fullSyncCpuRecord({
      id: `one-core-${users}`,
      users,
      seconds,
      conv,
      statementMs: measured,
      cores: { host, target, database, k6 },
      machine: { cores: 2, memoryBytes: 1e9, cpuModel: 'synthetic', ...(dbCores ? { dbCores } : {}) },
    });
  }

  it('by hand: at 3,000 users the one core is 42.6 % busy and a 1.0 ms messages statement measures 1.6 ms', () => {
    // 10 syncs/s: statements 10·(2 + 50 + 0.05) = 520.5 ms/s, database 0.01 + 0.8·0.5205 = 0.4264 cores;
    // the 0.8 ms of CPU waits 0.8·0.4264/0.5736 = 0.5947 ms on the core (the host at A = 0.754 would
    // give 0.8·C/(2 − A) = 0.8·0.2064/1.246 = 0.1326), and the loop's turn adds ~0.01 ms.
    const r = oneCore(3000);
    expect(r.cpu!.database!.cpuSeconds / 60).toBeCloseTo(0.4264, 4);
    expect(r.queryKinds['select.messages']!.meanMs).toBeGreaterThan(1 + 0.5947);
    expect(r.queryKinds['select.messages']!.meanMs).toBeLessThan(1 + 0.5947 + 0.02);
  });

  it('calibration recovers the uncontended demands and CPU share, to carry them to two cores', () => {
    const runs = [1000, 2000, 3000].map((u) => ({ record: oneCore(u), series: [] }));
    const cal = calibrate(runs);
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo(1.0, 4);
    expect(cal.demands['rest.conversations']!.meanMs).toBeCloseTo(2.0, 2);
    expect(cal.cpuShareOfDbTime).toBeCloseTo(0.8, 2);
    expect(cal.cpu!.database.fixedCores).toBeCloseTo(0.01, 3);
    expect(cal.notes.join('\n')).toMatch(/database server limited on the fit runs.*1 core/);
    // The same runs read as if the database had had both cores: only the host's small wait is freed,
    // so the demand keeps most of the one core's wait (at 3,000 users 0.59 − 0.13 ms of it): 1.34 ms.
    const unaware = calibrate([1000, 2000, 3000].map((u) => ({ record: oneCore(u, null), series: [] })));
    expect(unaware.demands['rest.messages']!.meanMs).toBeGreaterThan(1.3);
  });
});

/**
 * A synthetic full-sync run record for the CPU calibration's tests: `conv` syncs/s of one conversations,
 * 50 messages and one push request, each endpoint's latency its statement's time (`statementMs`) + 1 ms
 * outside the database, and the host's, target's, database's and k6's cores as given.
 */
function fullSyncCpuRecord(run: {
  id: string;
  users: number;
  seconds: number;
  conv: number;
  statementMs: (endpoint: 'rest.conversations' | 'rest.messages' | 'rest.push') => number;
  cores: { host: number; target: number; database: number; k6: number };
  machine?: RunRecord['machine'];
}): RunRecord {
  const { seconds, conv, statementMs: measured, cores } = run;
  const rates = { 'rest.conversations': conv, 'rest.messages': conv * 50, 'rest.push': conv };
  const summary = (n: number, mean: number) => endpointSummary(n, seconds, mean);
  const group = (c: number, what: string) => ({
    cpuSeconds: c * seconds,
    cpuPercentMean: c * 100,
    cpuPercentMax: c * 150,
    processes: what,
  });
  return syntheticRunRecord({
    id: run.id,
    scenario: 'full-sync',
    users: run.users,
    durationSeconds: seconds,
    ...(run.machine ? { machine: run.machine } : {}),
    // Time outside the database 1 ms for every endpoint: the target's CPU splits evenly.
    endpoints: Object.fromEntries(
      (Object.keys(rates) as (keyof typeof rates)[]).map((e) => [e, summary(rates[e], measured(e) + 1)]),
    ),
    iterations: { completed: 1, dropped: 0, rate: conv, targetRate: conv },
    queryKinds: {
      'select.conversations': { calls: conv * seconds, meanMs: measured('rest.conversations') },
      'select.messages': { calls: conv * 50 * seconds, meanMs: measured('rest.messages') },
      'insert.messages': { calls: conv * seconds, meanMs: measured('rest.push') },
    },
    loadGenerator: { cpuPercentMean: cores.k6 * 100, cpuPercentMax: 50, saturated: false, maxVUs: 10 },
    cpu: {
      windowSeconds: seconds,
      host: { cpuSeconds: cores.host * seconds, cpuPercentMean: 0, cpuPercentMax: 0 },
      target: group(cores.target, 'target'),
      database: group(cores.database, 'postgres'),
      loadGenerator: group(cores.k6, 'k6'),
      runner: null,
    },
  });
}
