import { describe, expect, it } from 'vitest';
import { settledP95 } from './settled-p95.ts';

describe("a run's p95 without its first seconds", () => {
  it('leaves out the samples before the settle time, per endpoint (hand-worked)', () => {
    // 20 samples of 1..20 ms at t = 0..19 s: all of them p95 = 19.05 (type 7: 1 + 0.95·19);
    // after 10 s the samples 11..20: p95 = 11 + 0.95·9 = 19.55; a burst of 100 ms at t < 4 s is dropped.
    const samples = Array.from({ length: 20 }, (_, i) => ({ t: i * 1000, endpoint: 'e', ms: i + 1 }));
    expect(settledP95(samples, 0).e).toBeCloseTo(19.05, 12);
    expect(settledP95(samples, 10).e).toBeCloseTo(19.55, 12);
    const burst = [...samples, ...[0, 1, 2, 3].map((s) => ({ t: s * 1000 + 500, endpoint: 'e', ms: 100 }))];
    expect(settledP95(burst, 4)).toEqual(settledP95(samples, 4));
    expect(settledP95(burst, 0).e).toBeGreaterThan(50);
  });
});
