import { describe, expect, it } from 'vitest';
import { characteristicTime, missRatios } from './working-set.ts';

// Worked by hand: Che's approximation keeps a page referenced λ times a second with probability
// 1 − e^(−λT), and T fills the cache: Σ pages × (1 − e^(−λT)) = memory.

describe("Che's approximation of an LRU cache", () => {
  it('misses nothing while every page fits', () => {
    const groups = [
      { pages: 60, refsPerPagePerSecond: 1 },
      { pages: 40, refsPerPagePerSecond: 0.01 },
    ];
    expect(characteristicTime(groups, 100)).toBe(Number.POSITIVE_INFINITY);
    expect(missRatios(groups, 100)).toEqual([0, 0]);
  });

  it('gives the uniform model for one group: 1 − memory / pages', () => {
    // 200 pages on 100: 200 (1 − e^(−λT)) = 100 → e^(−λT) = 0.5, whatever λ (T = ln 2 / λ).
    expect(missRatios([{ pages: 200, refsPerPagePerSecond: 0.1 }], 100)[0]).toBeCloseTo(0.5, 9);
    expect(characteristicTime([{ pages: 200, refsPerPagePerSecond: 0.1 }], 100)).toBeCloseTo(
      10 * Math.LN2,
      6,
    );
    // 400 pages on 100: 0.75.
    expect(missRatios([{ pages: 400, refsPerPagePerSecond: 3 }], 100)[0]).toBeCloseTo(0.75, 9);
  });

  it('keeps the frequently referenced pages (two groups, worked by hand)', () => {
    // 100 pages at 1/s and 100 at 0.1/s on 100: with x = e^(−0.1T), x^10 + x = 1, so x = 0.835079
    // (solved by bisection apart from this code), the rare group's miss ratio, and the frequent group's
    // x^10 = 0.164921; T = −10 ln x = 1.80229 s.
    const groups = [
      { pages: 100, refsPerPagePerSecond: 1 },
      { pages: 100, refsPerPagePerSecond: 0.1 },
    ];
    const [frequent, rare] = missRatios(groups, 100);
    expect(frequent).toBeCloseTo(0.164921, 5);
    expect(rare).toBeCloseTo(0.835079, 5);
    expect(characteristicTime(groups, 100)).toBeCloseTo(1.80229, 4);
  });

  it('misses every page of a periodic loop larger than what the cache keeps for it (worked by hand)', () => {
    // 200 pages each referenced every 10 s on 100: 200 × min(1, T/10) = 100 at T = 5 s < 10, so every
    // reference misses (LRU on a loop), where the Poisson form would miss half.
    expect(characteristicTime([{ pages: 200, refsPerPagePerSecond: 0.1, periodic: true }], 100)).toBeCloseTo(
      5,
      9,
    );
    expect(missRatios([{ pages: 200, refsPerPagePerSecond: 0.1, periodic: true }], 100)).toEqual([1]);
    // A loop of 100 pages every 10 s beside 50 Poisson pages at 1/s, on 120: 10 T + 50 (1 − e^(−T)) =
    // 120 at T = 7.004539 s (bisection apart from this code): the loop misses all, the Poisson pages
    // e^(−7.004539) = 0.000908.
    const [loop, hot] = missRatios(
      [
        { pages: 100, refsPerPagePerSecond: 0.1, periodic: true },
        { pages: 50, refsPerPagePerSecond: 1 },
      ],
      120,
    );
    expect(loop).toBe(1);
    expect(hot).toBeCloseTo(0.000908, 6);
    // The loop fits once its period is within T: on 149.999 pages T = 10.82 s ≥ 10.
    expect(
      missRatios(
        [
          { pages: 100, refsPerPagePerSecond: 0.1, periodic: true },
          { pages: 50, refsPerPagePerSecond: 1 },
        ],
        149.999,
      )[0],
    ).toBe(0);
  });

  it('misses everything with no memory, and ignores groups that are never referenced', () => {
    expect(missRatios([{ pages: 10, refsPerPagePerSecond: 1 }], 0)).toEqual([1]);
    expect(
      missRatios(
        [
          { pages: 10, refsPerPagePerSecond: 0 },
          { pages: 5, refsPerPagePerSecond: 1 },
        ],
        8,
      ),
    ).toEqual([0, 0]);
  });
});

// Worked by hand: pages never referenced again, J a second, each stay T too: Σ pages × P(referenced
// within T) + J T = memory.
describe('an LRU cache with an inflow of pages never used again', () => {
  it('keeps a loop only while it fits beside the inflow of one period', () => {
    const loop = { pages: 500, refsPerPagePerSecond: 1 / 30, periodic: true };
    // 10 a second: at T = 30 the loop's 500 and 300 of them fill 800 of 1,000: kept.
    expect(missRatios([loop], 1000, 10)).toEqual([0]);
    // 20 a second: 500 T / 30 + 20 T = 1,000 at T = 27.27 s, under the period: every page misses.
    expect(characteristicTime([loop], 1000, 20)).toBeCloseTo(1000 / (500 / 30 + 20), 6);
    expect(missRatios([loop], 1000, 20)).toEqual([1]);
    // A loop that fits with nothing else coming in is never evicted.
    expect(characteristicTime([loop], 1000, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('lets a Poisson group miss more (worked by hand)', () => {
    // 200 pages at 0.1 a second on 100 with 10 more a second: 200 (1 − e^(−0.1T)) + 10 T = 100 at
    // T = 3.748225 (bisection apart from this code): the group misses e^(−0.3748225) = 0.687411, where
    // without the inflow it misses 0.5.
    const group = { pages: 200, refsPerPagePerSecond: 0.1 };
    expect(characteristicTime([group], 100, 10)).toBeCloseTo(3.748225, 5);
    expect(missRatios([group], 100, 10)[0]).toBeCloseTo(0.687411, 5);
  });
});
