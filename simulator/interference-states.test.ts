import { describe, expect, it } from 'vitest';
import type { SeriesSample } from '../core/run-record.ts';
import { interferenceStates, outsideCoresOf } from './interference-states.ts';

/** A second of a run: the host's and the three processes' CPU (percent of one core) and its requests. */
function second(t: number, host: number, requests: number): SeriesSample {
  return {
    t,
    requests,
    endpoints: {},
    cpu: { host, target: 40, database: 30, loadGenerator: 25, runner: 1 },
  } as unknown as SeriesSample;
}

describe('interference states', () => {
  it('reads the cores outside the target, the database and k6 from one second', () => {
    // 140 % busy less 40 + 30 + 25: 45 % of a core outside them (the runner's 1 % included).
    expect(outsideCoresOf(second(0, 140, 10))).toBeCloseTo(0.45, 12);
    // Never below 0 (the host and the processes are sampled a moment apart).
    expect(outsideCoresOf(second(0, 90, 10))).toBe(0);
    expect(outsideCoresOf({ t: 0, requests: 1, endpoints: {} } as unknown as SeriesSample)).toBeNull();
  });

  it("takes the second's stolen time where the series recorded it", () => {
    // 140 % busy less 95 % would be 0.45 cores; 60 % of a core was stolen (part of it charged to the processes).
    const s = second(0, 140, 10);
    expect(outsideCoresOf({ ...s, cpu: { ...s.cpu!, steal: 60 } })).toBeCloseTo(0.6, 12);
    expect(outsideCoresOf({ ...s, cpu: { ...s.cpu!, steal: 0 } })).toBe(0);
  });

  it('groups the seconds by tenths of a core, each weighted by its requests', () => {
    // Outside: 0.05, 0.07, 0.42, 0.05 cores; requests 100, 100, 50, 150.
    const states = interferenceStates([
      second(0, 100, 100),
      second(1, 102, 100),
      second(2, 137, 50),
      second(3, 100, 150),
    ]);
    expect(states).toHaveLength(2);
    expect(states![0]!.outsideCores).toBeCloseTo((0.05 + 0.07 + 0.05) / 3, 12);
    expect(states![0]!.share).toBeCloseTo(350 / 400, 12);
    expect(states![0]!.seconds).toBe(3);
    expect(states![1]!.outsideCores).toBeCloseTo(0.42, 12);
    expect(states![1]!.share).toBeCloseTo(50 / 400, 12);
  });

  it('is null without CPU samples', () => {
    expect(interferenceStates([])).toBeNull();
  });
});
