import { describe, expect, it } from 'vitest';
import { withTailFromP99 } from './push-paths.ts';

const summary = (p50: number, p95: number, p99: number) => ({
  count: 1000,
  errorRate: 0,
  statuses: { '201': 1000 },
  mean: p50,
  p50,
  p95,
  p99,
  max: p99,
});

describe('withTailFromP99', () => {
  it('gives the p95 of the log-normal through the median and p99', () => {
    // A log-normal of median 1 ms and σ 0.5: p99 = e^(0.5·2.3263) = 3.2005 ms, p95 = e^(0.5·1.6449) =
    // 2.2760 ms (z from tables). A measured p95 of 1.9 ms (a lighter head) is replaced.
    const s = withTailFromP99(summary(1, 1.9, 3.2005));
    expect(s.p95).toBeCloseTo(2.276, 3);
    expect(s.p50).toBe(1);
    expect(s.p99).toBe(3.2005);
  });

  it('leaves a summary whose p99 is not above its median as it is', () => {
    const s = summary(1, 1, 1);
    expect(withTailFromP99(s)).toBe(s);
    const none = summary(0, 0, 0);
    expect(withTailFromP99(none)).toBe(none);
  });
});
