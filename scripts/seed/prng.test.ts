import { describe, expect, it } from 'vitest';
import { Prng, streamState } from './prng.ts';
import { uuidFrom } from './uuid.ts';

describe('Prng (xoshiro128**)', () => {
  it('matches the reference output for state [1, 2, 3, 4]', () => {
    // Reference values of xoshiro128** (rand_xoshiro's test vector for Xoshiro128StarStar).
    const prng = new Prng(Uint32Array.from([1, 2, 3, 4]));
    const out = Array.from({ length: 10 }, () => prng.nextU32());
    expect(out).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('gives different streams for neighbouring positions, kinds and seeds, and the same for the same', () => {
    const a = Array.from(streamState(7, 1, 100));
    expect(Array.from(streamState(7, 1, 100))).toEqual(a);
    expect(Array.from(streamState(7, 1, 101))).not.toEqual(a);
    expect(Array.from(streamState(7, 2, 100))).not.toEqual(a);
    expect(Array.from(streamState(8, 1, 100))).not.toEqual(a);
    expect(Array.from(streamState(7 + 2 ** 32, 1, 100))).not.toEqual(a);
  });

  it('draws log-normal lengths with the asked mean', () => {
    const prng = Prng.for(1, 1, 1);
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) sum += prng.logNormal(500, 0.8);
    expect(sum / n).toBeGreaterThan(490);
    expect(sum / n).toBeLessThan(510);
  });

  it('draws geometric counts >= 1 with the asked mean', () => {
    const prng = Prng.for(2, 1, 1);
    let sum = 0;
    let min = Infinity;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = prng.geometricAtLeastOne(8);
      sum += x;
      min = Math.min(min, x);
    }
    expect(min).toBe(1);
    expect(sum / n).toBeGreaterThan(7.9);
    expect(sum / n).toBeLessThan(8.1);
  });
});

describe('uuidFrom', () => {
  it('formats a version-4, RFC-variant UUID and never repeats over 100k draws', () => {
    const prng = Prng.for(3, 1, 1);
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const id = uuidFrom(prng);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(100_000);
  });
});
