import { describe, expect, it } from 'vitest';
import type { SeriesSample } from '../../core/run-record.ts';
import {
  calmAndEpisodeLine,
  calmAndEpisodeP95,
  episodeLine,
  machineLine,
  speedLine,
} from './machine-drift.ts';

describe("a level's machine against the fit's", () => {
  it('names each replicate and the fit, and says when the mean moved by more than 0.1 cores', () => {
    // Session 11's second bench: fit 0.11 stolen, 0.6K replicates 0.06 and 0.01 (mean 0.035: 0.075 off).
    expect(machineLine([0.06, 0.01], 0.11)).toEqual({
      line: '  machine: 0.06, 0.01 cores stolen by the hypervisor (the fit runs kept: 0.11)',
      drifted: false,
    });
    // Its first bench: fit 0.04, 0.9K replicates 0.13 and 0.30 (mean 0.215: 0.175 off).
    const moved = machineLine([0.13, 0.3], 0.04);
    expect(moved.drifted).toBe(true);
    expect(moved.line).toContain('the machine moved by more than 0.1 cores since the fit');
  });

  it('says nothing of drift when the records have no stolen time', () => {
    expect(machineLine([null, null], 0.1).drifted).toBe(false);
    expect(machineLine([0.2], null).line).toContain('not recorded');
  });
});

describe("a level's machine speed against the fit's", () => {
  it('prints each replicate’s probe, as read and at an idle host, and its ratio to the fit’s', () => {
    expect(
      speedLine(
        [
          { probe: 0.24, idle: 0.2 },
          { probe: 0.3, idle: 0.27 },
        ],
        0.2,
      ),
    ).toBe(
      "  machine speed: a system call cost 0.240 µs (0.200 idle, ×1.00), 0.300 µs (0.270 idle, ×1.35) against the fit runs' 0.200 µs idle; each replicate is predicted at its own",
    );
    expect(speedLine([{ probe: null, idle: null }], 0.2)).toContain('not recorded');
    expect(speedLine([{ probe: 0.2, idle: 0.2 }], null)).toContain('not recorded');
  });
});

describe("a level's interference episodes", () => {
  it('counts per replicate the seconds at 0.3 cores or more taken outside, and their requests', () => {
    const calm = { outsideCores: 0.06, share: 0.8, seconds: 44 };
    const line = episodeLine([
      [
        calm,
        { outsideCores: 0.36, share: 0.15, seconds: 11 },
        { outsideCores: 0.52, share: 0.05, seconds: 5 },
      ],
      [{ ...calm, share: 1, seconds: 60 }],
      null,
    ]);
    expect(line).toContain('16 of 60 s (20 % of the requests), 0 of 60 s (0 % of the requests)');
    expect(episodeLine([null])).toContain('no CPU per second');
  });
});

describe("a level's p95 in calm seconds and in episodes", () => {
  /** A second whose host is `host` % busy with the three processes at 95 %: (host − 95) / 100 cores outside. */
  const second = (t: number, host: number) =>
    ({
      t,
      requests: 1,
      endpoints: {},
      cpu: { host, target: 40, database: 30, loadGenerator: 25, runner: 0 },
    }) as unknown as SeriesSample;

  it("splits each replicate's requests by their second's outside cores", () => {
    // Replicate 1: second 0 calm (0.05 outside), second 1 an episode (0.45); replicate 2: second 0 an episode.
    const series = [[second(0, 100), second(1, 140)], [second(0, 135)]];
    const calm = Array.from({ length: 20 }, (_, i) => ({ t: 50 * i, endpoint: 'rest.push', ms: i + 1 }));
    const episode = [{ t: 1500, endpoint: 'rest.push', ms: 80 }];
    const other = [{ t: 500, endpoint: 'rest.push', ms: 60 }];
    const split = calmAndEpisodeP95(
      [[...calm, ...episode, { t: 2500, endpoint: 'rest.push', ms: 999 }], other],
      series,
    );
    // Calm: 1..20 ms (type-7 p95: 19 + 0.05 = 19.05); episodes: 80 and 60 (p95 79); the request of a
    // second without a CPU sample (t 2.5 s) is left out.
    expect(split['rest.push']!.calm).toBeCloseTo(19.05, 12);
    expect(split['rest.push']!.episode).toBeCloseTo(79, 12);
    expect(calmAndEpisodeLine(split, { 'rest.push': 20 })).toContain(
      'rest.push 19.05 / 79.00 (predicted 20.00)',
    );
  });
});
