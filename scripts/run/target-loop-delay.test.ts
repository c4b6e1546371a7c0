import { describe, expect, it } from 'vitest';
import { LOOP_DELAY_RESOLUTION_MS } from '../../backend/metrics.ts';
import { serverSample } from '../../test/support/server-sample.ts';
import { loopDelayOf, type ServerSample } from '../collector/collector.ts';
import { parsePrometheus } from '../collector/prometheus.ts';
import { targetLoopDelayOverWindow } from './target-loop-delay.ts';

/** A collector sample at `atMs` whose loop delay has this mean, p99 and max (ms beyond the timer). */
function sample(atMs: number, delay: [number, number, number] | null): ServerSample {
  return serverSample(atMs, {
    loopDelay: delay && { meanMs: delay[0], p90Ms: delay[0], p99Ms: delay[1], maxMs: delay[2] },
  });
}

describe('the event-loop delay of a scrape', () => {
  it('reads prom-client’s nodejs_eventloop_lag_* beyond the monitor’s 10 ms timer', () => {
    expect(LOOP_DELAY_RESOLUTION_MS).toBe(10);
    const text = [
      'nodejs_eventloop_lag_min_seconds 0.010001',
      'nodejs_eventloop_lag_mean_seconds 0.0105',
      'nodejs_eventloop_lag_p50_seconds 0.01011',
      'nodejs_eventloop_lag_p90_seconds 0.0112',
      'nodejs_eventloop_lag_p99_seconds 0.0145',
      'nodejs_eventloop_lag_max_seconds 0.0221',
    ].join('\n');
    const d = loopDelayOf(parsePrometheus(text))!;
    expect(d.meanMs).toBeCloseTo(0.5, 9);
    expect(d.p90Ms).toBeCloseTo(1.2, 9);
    expect(d.p99Ms).toBeCloseTo(4.5, 9);
    expect(d.maxMs).toBeCloseTo(12.1, 9);
  });

  it('is null when the target exports none, or no tick ran since the last scrape (an empty histogram)', () => {
    expect(loopDelayOf(parsePrometheus('atlas_db_pool_size 10'))).toBeNull();
    const empty = [
      'nodejs_eventloop_lag_mean_seconds NaN',
      'nodejs_eventloop_lag_p90_seconds 0',
      'nodejs_eventloop_lag_p99_seconds 0',
      'nodejs_eventloop_lag_max_seconds 0',
    ].join('\n');
    expect(loopDelayOf(parsePrometheus(empty))).toBeNull();
  });
});

describe('the event-loop delay over the measured window', () => {
  const samples = [
    sample(1_000, [9, 9, 9]),
    sample(2_000, [0.2, 2, 5]),
    sample(3_000, null),
    sample(4_000, [0.4, 4, 11]),
    sample(5_000, [7, 7, 7]),
  ];

  it('averages the means and p99s of the scrapes inside the window and keeps the largest delay', () => {
    expect(targetLoopDelayOverWindow(samples, 1_000, 4_500)).toEqual({
      scrapes: 2,
      meanMs: expect.closeTo(0.3, 12),
      p99Ms: 3,
      maxMs: 11,
    });
  });

  it('is null when no scrape inside the window carries a delay', () => {
    expect(targetLoopDelayOverWindow(samples, 2_500, 3_500)).toBeNull();
  });
});
