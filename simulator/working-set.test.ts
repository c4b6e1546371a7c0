import { describe, expect, it } from 'vitest';
import { characteristicTime, missRatios, randomEvictionMissRatios } from './working-set.ts';

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

// Worked by hand: a cache that evicts at random keeps a page an exponential time of mean C / E, E the
// evictions a second, which balance the pages taken in: E = inflow + Σ pages λ miss(E).
describe('a cache that evicts at random, with an inflow of pages never used again', () => {
  it('misses nothing while every page fits and nothing else comes in; everything on no memory', () => {
    const loop = { pages: 500, refsPerPagePerSecond: 1 / 30, periodic: true };
    expect(randomEvictionMissRatios([loop], 1000, 0)).toEqual([0]);
    expect(randomEvictionMissRatios([loop], 0, 5)).toEqual([1]);
  });

  it('keeps memory / pages of one Poisson group, as any random cache does', () => {
    // 2,000 pages at λ on 1,000: x = E / (Cλ) = 2m, m = x / (1 + x) → 1 + 2m = 2, m = 0.5.
    expect(randomEvictionMissRatios([{ pages: 2000, refsPerPagePerSecond: 0.2 }], 1000, 0)[0]).toBeCloseTo(
      0.5,
      9,
    );
  });

  it('keeps part of a loop larger than the memory, where LRU keeps none', () => {
    // 2,000 pages every 30 s on 1,000: E = (2,000 / 30) m and m = 1 − e^(−E·30 / 1,000) = 1 − e^(−2m):
    // m = 0.796812 (iterated by hand from 1: 0.864665, 0.822700, ..., 0.796812).
    const loop = { pages: 2000, refsPerPagePerSecond: 1 / 30, periodic: true };
    expect(randomEvictionMissRatios([loop], 1000, 0)[0]).toBeCloseTo(0.796812, 5);
    expect(missRatios([loop], 1000)[0]).toBe(1);
  });

  it('misses part of a loop that fits when other pages flow in (worked by hand)', () => {
    // 500 pages every 30 s (16.667 a second) on 1,000, 41.667 pages a second besides: E = 41.667 +
    // 16.667 m, m = 1 − e^(−0.03 E) = 1 − e^(−1.25 − 0.5 m): from 0.8, 0.807950, 0.808712, 0.808785, 0.808792, ...
    const loop = { pages: 500, refsPerPagePerSecond: 1 / 30, periodic: true };
    expect(randomEvictionMissRatios([loop], 1000, 125 / 3)[0]).toBeCloseTo(0.808793, 5);
    // Ten times the memory: m = 1 − e^(−0.125 − 0.05 m) = 0.12291 (from 0: 0.117503, 0.122673, 0.122899, 0.122909, ...).
    expect(randomEvictionMissRatios([loop], 10_000, 125 / 3)[0]).toBeCloseTo(0.12291, 4);
  });
});
