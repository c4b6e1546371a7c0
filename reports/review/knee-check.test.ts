import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { SeriesSample } from '../../core/run-record.ts';
import type { Prediction } from '../../simulator/index.ts';
import { syntheticRunRecord } from '../../test/support/run-record-fixture.ts';
import { kneeChart } from './knee-chart-data.ts';
import { buildKneeCheck } from './knee-check.ts';

const second = (t: number, poolInUse: number, sockets: number, queued = 0): SeriesSample => ({
  t,
  requests: 10,
  endpoints: {},
  pool: { total: 10, inUse: poolInUse, idle: 10 - poolInUse, waiting: 0 },
  dbConnections: null,
  upstream: { inUse: sockets, queued },
  rateLimited: 0,
});

/** A prediction with only the parts the knee check reads: the two pooled resources. */
function predicted(users: number, poolLoad: number, socketLoad: number): Prediction {
  return {
    users,
    resources: [
      { name: 'db.pool', servers: 10, offeredLoad: poolLoad },
      { name: 'upstream.sockets', servers: 50, offeredLoad: socketLoad },
    ],
  } as unknown as Prediction;
}

const run = (series: SeriesSample[]) => ({
  dir: '/runs/knee',
  record: syntheticRunRecord({
    id: 'launch-mix-1900u-current-knee',
    scenario: 'launch-mix',
    users: 1900,
    endpoints: {},
    durationSeconds: 10,
  }),
  series,
});

describe('buildKneeCheck', () => {
  it('below the knee: measured share in use extrapolated by Little’s law, beside the model’s', () => {
    // Seconds 0 and 1 (settling) and 10 on (k6 finishing the iterations in flight) are left out.
    const series = [
      second(0, 0, 0),
      second(1, 9, 50),
      ...[2, 3, 4, 5].map((t) => second(t, 2, 40)),
      second(10, 10, 50),
      second(11, 0, 0),
    ];
    const check = buildKneeCheck(run(series), predicted(1900, 1, 38));
    expect(check.resources).toEqual([
      {
        name: 'db.pool',
        servers: 10,
        measuredMeanInUse: 2,
        measuredMaxInUse: 2,
        measuredMeanWaiting: 0,
        predictedInUse: 1,
      },
      {
        name: 'upstream.sockets',
        servers: 50,
        measuredMeanInUse: 40,
        measuredMaxInUse: 40,
        measuredMeanWaiting: 0,
        predictedInUse: 38,
      },
    ]);
    // Model: 38/50 = 0.76 → 1900 / 0.76 = 2500. Machine: 40/50 = 0.8 → 1900 / 0.8 = 2375.
    expect(check.predictedKnee).toBe(2500);
    expect(check.measuredKnee).toBe(2375);
    expect(check.predictedBottleneck).toBe('upstream.sockets');
    expect(check.measuredBottleneck).toBe('upstream.sockets');
    expect(check.saturatedAtStep).toBe(false);
    const chart = kneeChart(run(series), check);
    expect(() => compile(chart.spec)).not.toThrow();
    const values = chart.spec.data.values as { resource: string; inUsePercent: number; source: string }[];
    expect(values.filter((v) => v.source === 'measured' && v.resource === 'upstream.sockets')).toHaveLength(
      8,
    );
    expect(values.filter((v) => v.source === 'predicted')).toEqual([
      { resource: 'db.pool', inUsePercent: 10, source: 'predicted' },
      { resource: 'upstream.sockets', inUsePercent: 76, source: 'predicted' },
    ]);
    expect(check.sentence).toBe(
      'Checked against this machine today: predicted knee 2,500 users (upstream.sockets fills), measured 2,375 users (upstream.sockets fills): launch-mix under current at 1,900 users for 10 s, db.pool 2.0 of 10 in use (model 1.0), upstream.sockets 40.0 of 50 in use (model 38.0).',
    );
  });

  it('a step that filled the pool: the knee is at most the step, and the pool is named', () => {
    const series = [2, 3, 4].map((t) => second(t, 10, 20, 0));
    series.forEach((s) => {
      s.pool!.waiting = 6;
    });
    const check = buildKneeCheck(run(series), predicted(1900, 2, 38));
    expect(check.saturatedAtStep).toBe(true);
    expect(check.measuredBottleneck).toBe('db.pool');
    expect(check.measuredKnee).toBe(1900);
    expect(check.sentence).toContain('measured at most 1,900 users (db.pool fills)');
  });
});
