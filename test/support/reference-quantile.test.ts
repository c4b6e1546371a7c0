import { describe, expect, it } from 'vitest';
import { type7Quantile } from './reference-quantile.ts';

// The oracle is checked against values R prints (R 4.x, `quantile(x, p, type = 7)`) and against
// hand arithmetic, so a mistake in it cannot hide a mistake in the code it judges.
describe('type7Quantile (the test oracle for percentiles)', () => {
  it('matches R: quantile(c(1, 2, 3, 4, 10), c(0, .5, .95, 1))', () => {
    const x = [10, 3, 1, 4, 2];
    expect(type7Quantile(x, 0)).toBe(1);
    expect(type7Quantile(x, 0.5)).toBe(3);
    // h = 4 × 0.95 = 3.8: 4 + 0.8 × (10 − 4) = 8.8
    expect(type7Quantile(x, 0.95)).toBeCloseTo(8.8, 12);
    expect(type7Quantile(x, 1)).toBe(10);
  });

  it('matches R: quantile(1:4000, c(.95, .99)) is 3800.05 and 3960.01', () => {
    const x = Array.from({ length: 4000 }, (_, i) => 4000 - i);
    expect(type7Quantile(x, 0.95)).toBeCloseTo(3800.05, 9);
    expect(type7Quantile(x, 0.99)).toBeCloseTo(3960.01, 9);
  });

  it('sorts numerically, not as text, and gives the single value of one sample', () => {
    expect(type7Quantile([9, 10, 100], 0.5)).toBe(10);
    expect(type7Quantile([7], 0.95)).toBe(7);
  });
});
