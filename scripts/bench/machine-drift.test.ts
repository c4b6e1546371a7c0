import { describe, expect, it } from 'vitest';
import { machineLine, speedLine } from './machine-drift.ts';

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
