import { describe, expect, it } from 'vitest';
import { trimmedMeanOfProbe } from './syscall-probe-summary.ts';

describe("a run's syscall probe from its samples", () => {
  it('leaves the dearest tenth out of the mean (a sample shared with the runner’s other threads reads high)', () => {
    // Ten samples: nine of 0.2 µs and one of 2 µs: ceil(10 × 0.9) = 9 kept, all 0.2.
    const p = trimmedMeanOfProbe([0.2, 0.2, 2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2], 2000);
    expect(p!.usPerCall).toBeCloseTo(0.2, 12);
    expect(p!.samples).toBe(10);
    // A run half in each of the machine's two states keeps both in its mean: 5 × 0.2 and 5 × 0.27
    // → 9 kept (the five 0.2 and four 0.27): (1.0 + 1.08)/9.
    const mixed = trimmedMeanOfProbe([0.2, 0.27, 0.2, 0.27, 0.2, 0.27, 0.2, 0.27, 0.2, 0.27], 2000);
    expect(mixed!.usPerCall).toBeCloseTo((5 * 0.2 + 4 * 0.27) / 9, 12);
  });

  it('is null without a usable sample, and ignores non-finite or non-positive ones', () => {
    expect(trimmedMeanOfProbe([], 2000)).toBeNull();
    expect(trimmedMeanOfProbe([Number.NaN, 0, -1], 2000)).toBeNull();
    expect(trimmedMeanOfProbe([0.3, Number.NaN], 2000)!.usPerCall).toBeCloseTo(0.3, 12);
  });
});
