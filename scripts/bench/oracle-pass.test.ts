import { describe, expect, it } from 'vitest';
import { combinations, oraclePass, oraclePassLines } from './oracle-pass.ts';
import type { DurationSample } from './settled-p95.ts';

/** A replicate: `count` samples of each endpoint at the given duration. */
function replicate(ms: Record<string, number>, count = 20): DurationSample[] {
  return Object.entries(ms).flatMap(([endpoint, v]) =>
    Array.from({ length: count }, (_, i) => ({ t: i * 100, endpoint, ms: v })),
  );
}

describe('combinations', () => {
  it('lists every k-subset once, in order', () => {
    expect(combinations(4, 2)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(combinations(3, 3)).toEqual([[0, 1, 2]]);
    expect(combinations(3, 4)).toEqual([]);
  });
});

describe('oraclePass', () => {
  // Four replicates of 20 samples per endpoint. a: one replicate collapsed (20 ms against 10); c: another
  // replicate slow (40 against 10); b: calm everywhere; healthz is never judged.
  const replicates = [
    replicate({ a: 10, b: 5, c: 40, healthz: 1 }),
    replicate({ a: 10, b: 5, c: 10, healthz: 1 }),
    replicate({ a: 10, b: 5, c: 10, healthz: 90 }),
    replicate({ a: 20, b: 5, c: 10, healthz: 1 }),
  ];

  it('judges the p95 of all replicates pooled against every group of the size, as bench:knee does', () => {
    const r = oraclePass(replicates, 2, 0.25);
    expect(r.groups).toBe(6);
    expect(Object.keys(r.byEndpoint)).toEqual(['a', 'b', 'c']);
    // a pooled over all 80 samples: 60 at 10 and 20 at 20; type-7 p95 at rank 0.95 · 79 = 75.05 → 20.
    // The three pairs with replicate 4 (40 samples, half at 20: rank 37.05 → 20) measure 20, the
    // three without it 10, where the oracle's 20 is 100 % off.
    expect(r.byEndpoint.a).toEqual({ oracleMs: 20, lowestMs: 10, highestMs: 20, passShare: 0.5 });
    expect(r.byEndpoint.b!.passShare).toBe(1);
    // c: the oracle 40 passes only the pairs holding replicate 1 (0-1, 0-2, 0-3).
    expect(r.byEndpoint.c!.passShare).toBe(0.5);
    // Both a and c pass only in the pair 0-3: one of six.
    expect(r.allPassShare).toBeCloseTo(1 / 6, 12);
    // Groups of all four are the oracle itself.
    expect(oraclePass(replicates, 4, 0.25).allPassShare).toBe(1);
  });

  it('refuses a group size the replicates cannot make', () => {
    expect(() => oraclePass(replicates, 5, 0.25)).toThrow(/from 1 to 4, got 5/);
    expect(() => oraclePass(replicates, 0, 0.25)).toThrow(/got 0/);
  });

  it('prints one line per group size', () => {
    expect(oraclePassLines([oraclePass(replicates, 2, 0.25)])).toEqual([
      'groups of 2 (6): every endpoint within ±25 % in 17 % of them; a 50 % (oracle 20.00 ms; groups 10.00-20.00), b 100 % (oracle 5.00 ms; groups 5.00-5.00), c 50 % (oracle 40.00 ms; groups 10.00-40.00)',
    ]);
  });
});
