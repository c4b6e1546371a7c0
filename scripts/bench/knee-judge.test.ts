import { describe, expect, it } from 'vitest';
import type { ValidationLevel } from '../../simulator/index.ts';
import { syntheticRunRecord } from '../../test/support/run-record-fixture.ts';
import { belowKneeChecks, failedIterationsPerSecond, measuredShares, pastKneeChecks } from './knee-judge.ts';

const servers = { 'db.pool': 10, 'upstream.sockets': 50, 'host.cpu': 2, 'app.loop': 1 };

function level(
  measured: Partial<ValidationLevel['measured']>,
  predicted: Partial<ValidationLevel['predicted']>,
): ValidationLevel {
  return {
    run: 'r',
    scenario: 'full-sync',
    users: 1000,
    measured: { throughput: 30, p95Ms: {}, busy: {}, droppedIterations: 0, ...measured },
    predicted: {
      throughput: 30,
      askedThroughput: 30,
      p95Ms: {},
      busy: {},
      droppedIterations: 0,
      saturated: false,
      ...predicted,
    },
  };
}

describe('bench:knee goals', () => {
  it('below the knee: throughput within 3 % and every p95 within 25 %, at the edges', () => {
    const ok = level(
      { throughput: 100, p95Ms: { 'rest.messages': 4, healthz: 1 } },
      { throughput: 103, p95Ms: { 'rest.messages': 5 } },
    );
    expect(belowKneeChecks(ok).map((c) => c.pass)).toEqual([true, true]);
    const bad = level(
      { throughput: 100, p95Ms: { 'rest.messages': 4 } },
      { throughput: 103.5, p95Ms: { 'rest.messages': null } },
    );
    expect(belowKneeChecks(bad).map((c) => c.pass)).toEqual([false, false]);
  });

  it('past the knee: saturated by shortfall or by a 90 % busy bottleneck; the bottleneck the busiest', () => {
    const short = level({ throughput: 97, busy: { 'db.pool': 5, 'host.cpu': 1.9 } }, {});
    // 3 % short of 100 offered; host.cpu 95 % is the busiest, pool 50 %.
    expect(measuredShares(short, servers)).toEqual({ 'db.pool': 0.5, 'host.cpu': 0.95 });
    expect(pastKneeChecks(short, 100, 'host.cpu', servers).map((c) => c.pass)).toEqual([true, true]);
    expect(pastKneeChecks(short, 100, 'db.pool', servers).map((c) => c.pass)).toEqual([true, false]);
    const busy = level({ throughput: 99, busy: { 'db.pool': 9.15, 'host.cpu': 1.7 } }, {});
    expect(pastKneeChecks(busy, 100, 'db.pool', servers).map((c) => c.pass)).toEqual([true, true]);
    const neither = level({ throughput: 99, busy: { 'db.pool': 8.9, 'host.cpu': 1.7 } }, {});
    expect(pastKneeChecks(neither, 100, 'db.pool', servers)[0]!.pass).toBe(false);
  });

  it('counts failed iterations as not achieved: 503s past the knee are saturation (hand-worked)', () => {
    // 30 s: 2,460 + 139 messages, 139 answered 503 (1 iteration each); 1,000 sync requests of which
    // 52 failed, 52 requests a sync: at least 1 failed sync. (139 + 1) / 30 = 4.667 failed/s.
    const summary = (count: number, errors: number) => ({
      count,
      errorRate: errors / count,
      statuses: {},
      mean: 1,
      p50: 1,
      p95: 1,
      p99: 1,
      max: 1,
    });
    const r = syntheticRunRecord({
      id: 'launch-mix-2620',
      scenario: 'launch-mix',
      users: 2620,
      durationSeconds: 30,
      endpoints: { 'api.message': summary(2599, 139), 'rest.messages': summary(1000, 52) },
      sync: { mode: 'full', queriesPerSync: 52, dbTimeMsPerSync: 50, requestsPerSync: 52 },
    });
    expect(failedIterationsPerSecond(r)).toBeCloseTo(140 / 30, 9);
    // Achieved 96.47 of 97.07 offered is 0.6 % short; less the 4.667 failed, 5.4 % short: saturated.
    const l = level({ throughput: 96.47, busy: { 'upstream.sockets': 44.5, 'host.cpu': 1.2 } }, {});
    expect(pastKneeChecks(l, 97.07, 'upstream.sockets', servers)[0]!.pass).toBe(false);
    expect(pastKneeChecks(l, 97.07, 'upstream.sockets', servers, 140 / 30)[0]!.pass).toBe(true);
  });
});
