import { describe, expect, it } from 'vitest';
import { serverSample } from '../../test/support/server-sample.ts';
import { gcTotalsOf, type ServerSample } from '../collector/collector.ts';
import { parsePrometheus } from '../collector/prometheus.ts';
import { targetGcOverWindow } from './target-gc.ts';

/** A collector sample at `atMs` with cumulative minor and major pauses (count, seconds). */
function sample(atMs: number, minor: [number, number], major: [number, number] | null): ServerSample {
  return serverSample(atMs, {
    gc: {
      minor: { pauses: minor[0], seconds: minor[1] },
      ...(major ? { major: { pauses: major[0], seconds: major[1] } } : {}),
    },
  });
}

describe('the target GC pauses of a scrape', () => {
  it('reads prom-client’s nodejs_gc_duration_seconds count and sum by kind', () => {
    const text = [
      'nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 3',
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.0125',
      'nodejs_gc_duration_seconds_count{kind="minor"} 7',
      'nodejs_gc_duration_seconds_sum{kind="major"} 0.04',
      'nodejs_gc_duration_seconds_count{kind="major"} 2',
    ].join('\n');
    expect(gcTotalsOf(parsePrometheus(text))).toEqual({
      minor: { pauses: 7, seconds: 0.0125 },
      major: { pauses: 2, seconds: 0.04 },
    });
  });

  it('is null for a target that exports no GC metric', () => {
    expect(gcTotalsOf(parsePrometheus('atlas_db_pool_size 10'))).toBeNull();
  });
});

describe('the target GC pauses over the measured window', () => {
  const samples = [
    sample(1_000, [10, 0.01], null),
    sample(2_000, [20, 0.03], null),
    sample(3_000, [35, 0.05], [1, 0.02]),
    sample(4_000, [50, 0.08], [1, 0.02]),
    { ...sample(5_000, [0, 0], null), gc: null },
    sample(6_000, [70, 0.1], [2, 0.05]),
  ];

  it('differences the scrapes that bound the window, by kind and in all', () => {
    const gc = targetGcOverWindow(samples, 2_500, 4_200);
    expect(gc).not.toBeNull();
    expect(gc!.windowSeconds).toBe(2);
    expect(gc!.byKind.minor).toEqual({ pauses: 30, seconds: expect.closeTo(0.05, 12) });
    expect(gc!.byKind.major).toEqual({ pauses: 1, seconds: 0.02 });
    expect(gc!.pauses).toBe(31);
    expect(gc!.seconds).toBeCloseTo(0.07, 12);
  });

  it('skips scrapes without GC figures and starts at the first scrape when the window opens before it', () => {
    const gc = targetGcOverWindow(samples, 0, 6_500);
    expect(gc!.windowSeconds).toBe(5);
    expect(gc!.pauses).toBe(62);
  });

  it('is null when the scrapes span under a second or carry no GC figure', () => {
    expect(targetGcOverWindow(samples, 4_100, 4_900)).toBeNull();
    expect(targetGcOverWindow([{ ...samples[0]!, gc: null }], 0, 10_000)).toBeNull();
  });
});
