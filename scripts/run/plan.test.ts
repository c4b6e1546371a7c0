import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { workloadAt } from '../../simulator/index.ts';
import {
  executionSegment,
  logNormalMeanMs,
  MAX_ABUSIVE_USERS,
  measuredWindowEnv,
  planScenario,
} from './plan.ts';
import { buildSeries, kneeOf, syncWorkFromCounters } from './record.ts';

const profile = loadProfile('ci-smoke');

describe('open-model plan', () => {
  it('passes workloadAt rates per activity class and tier, with the policy intervals', () => {
    const fixed = loadPolicy('fixed');
    const plan = planScenario('launch-mix', profile, fixed, 10_000, 30);
    const w = workloadAt(profile, fixed, 10_000);
    expect(Number(plan.env.SYNC_RATE_ACTIVE)).toBeCloseTo(w.syncsPerSecondByClass.active, 9);
    expect(Number(plan.env.SYNC_RATE_INACTIVE)).toBeCloseTo(w.syncsPerSecondByClass.inactive, 9);
    expect(Number(plan.env.MSG_RATE_FREE)).toBeCloseTo(w.messagesPerSecondByTier.free, 9);
    expect(plan.env.SYNC_INTERVAL_RECENT_S).toBe('300');
    expect(plan.env.SYNC_TIERS).toBe('core,studio');
    expect(plan.env.DURATION_S).toBe('30');
    // No secret ever enters the -e environment.
    expect(Object.keys(plan.env).some((k) => /SECRET|TOKEN|KEY/.test(k))).toBe(false);
  });

  it('fixes the sync mode by scenario and bounds the abusive users', () => {
    const current = loadPolicy('current');
    expect(planScenario('delta-sync', profile, current, 1000, 10).env.SYNC_MODE).toBe('delta');
    expect(planScenario('full-sync', profile, loadPolicy('fixed'), 1000, 10).env.SYNC_MODE).toBe('full');
    // current: fixed 30 s for the 100 paid users of 1000 → 3.33 syncs/s.
    expect(planScenario('delta-sync', profile, current, 1000, 10).arrivalRates.sync).toBeCloseTo(100 / 30, 9);
    expect(Number(planScenario('rate-limit', profile, current, 100_000, 10).env.ABUSIVE_USERS)).toBe(
      MAX_ABUSIVE_USERS,
    );
    expect(Number(planScenario('rate-limit', profile, current, 20, 10).env.ABUSIVE_USERS)).toBe(1);
  });

  it('plans one k6 run of warm-up + window; the window alone is what inspect reads the schedule from', () => {
    const current = loadPolicy('current');
    const plain = planScenario('delta-sync', profile, current, 1000, 30);
    expect([plain.env.DURATION_S, plain.env.WARMUP_S]).toEqual(['30', '0']);
    // --warmup 10 --duration 30: k6 runs 40 s, the first 10 s left out; the rates are the same.
    const warm = planScenario('delta-sync', profile, current, 1000, 30, 10);
    expect([warm.env.DURATION_S, warm.env.WARMUP_S]).toEqual(['40', '10']);
    expect(warm.arrivalRates).toEqual(plain.arrivalRates);
    expect(measuredWindowEnv(warm.env)).toEqual(plain.env);
  });

  it('names execution segments of one sequence', () => {
    expect(executionSegment(0, 1)).toEqual({ segment: '0:1', sequence: '0,1' });
    expect(executionSegment(1, 3)).toEqual({ segment: '1/3:2/3', sequence: '0,1/3,2/3,1' });
  });

  it("uses the log-normal mean of the upstream latency for Little's law", () => {
    // median 500, p95 1500: sigma = ln 3 / 1.645 = 0.668, mean = 500 e^(sigma²/2) = 624.9
    expect(logNormalMeanMs({ median: 500, p95: 1500 })).toBeCloseTo(624.9, 1);
  });
});

describe('run record parts', () => {
  it('joins client seconds and server samples; 429s per second from the cumulative counter', () => {
    const origin = 1_000_000;
    const client = [0, 1, 2].map((t) => ({ t, requests: 10 + t, iterations: 5, endpoints: {} }));
    const sample = (atMs: number, limited: number) => ({
      atMs,
      pool: { total: 10, inUse: 2, idle: 8, waiting: 0 },
      dbConnections: { idle: 3 },
      upstream: null,
      rateLimitedTotal: limited,
    });
    const series = buildSeries(
      client,
      [sample(origin + 100, 0), sample(origin + 1100, 4), sample(origin + 2100, 9)],
      origin,
    );
    expect(series.map((s) => s.rateLimited)).toEqual([0, 4, 5]);
    expect(series.map((s) => s.requests)).toEqual([10, 11, 12]);
    expect(series[1]!.pool).toEqual({ total: 10, inUse: 2, idle: 8, waiting: 0 });
    expect(series[0]!).not.toHaveProperty('gcMs');
  });

  it('gives each second the target GC pause time of its scrapes, null where a scrape had none', () => {
    const origin = 1_000_000;
    const client = [0, 1, 2, 3].map((t) => ({ t, requests: 10, iterations: 5, endpoints: {} }));
    const sample = (atMs: number, minorSeconds: number | null) => ({
      atMs,
      pool: null,
      dbConnections: null,
      upstream: null,
      rateLimitedTotal: null,
      gc: minorSeconds === null ? null : { minor: { pauses: 1, seconds: minorSeconds } },
    });
    const series = buildSeries(
      client,
      [
        sample(origin + 100, 0.5),
        sample(origin + 1100, 0.504),
        sample(origin + 2100, null),
        sample(origin + 3100, 0.51),
      ],
      origin,
    );
    expect(series.map((s) => s.gcMs)).toEqual([0, expect.closeTo(4, 9), null, expect.closeTo(6, 9)]);
    expect(series[0]!).not.toHaveProperty('loopDelayMs');
  });

  it('gives each second the loop delay of its scrape, null where the scrape had none', () => {
    const origin = 1_000_000;
    const client = [0, 1].map((t) => ({ t, requests: 10, iterations: 5, endpoints: {} }));
    const sample = (atMs: number, meanMs: number | null) => ({
      atMs,
      pool: null,
      dbConnections: null,
      upstream: null,
      rateLimitedTotal: null,
      loopDelay: meanMs === null ? null : { meanMs, p90Ms: 1, p99Ms: 3, maxMs: 7 },
    });
    const series = buildSeries(client, [sample(origin + 100, 0.4), sample(origin + 1100, null)], origin);
    expect(series.map((s) => s.loopDelayMs)).toEqual([{ mean: 0.4, p90: 1, p99: 3, max: 7 }, null]);
  });

  it('counts sync work without the message path and finds the knee', () => {
    const kinds = {
      'select.conversations': { calls: 10, meanMs: 2 },
      'insert.messages': { calls: 7, meanMs: 1 },
      'message.usage': { calls: 5, meanMs: 1 },
      health: { calls: 3, meanMs: 1 },
    };
    expect(syncWorkFromCounters(kinds, 5)).toEqual({ queries: 12, dbTimeMs: 22 });
    const second = (t: number, iterations: number, p95: number) => ({
      t,
      requests: 20,
      iterations,
      endpoints: { 'rest.conversations': { count: 20, p50: 1, p95, errors: 0 } },
    });
    expect(kneeOf([second(0, 5, 10), second(1, 9, 20), second(2, 12, 1500)], 1000, 0.05)).toEqual({
      iterationsPerSecond: 9,
      requestsPerSecond: 20,
      brokeAtSecond: 2,
    });
  });
});
