import { describe, expect, it } from 'vitest';
import { baseAgainstDrawsNote } from './format.ts';

// npm start's review of 2026-12-06: current's knee 116,718 users at the base values, P50 31,973 over
// the draws, so 100k is GO in the verdict table and NO-GO in most draws of the band.
describe('the note where the base verdict and most draws disagree', () => {
  const scales = [1000, 10_000, 100_000];

  it('names the scale and policy whose base GO most draws turn NO-GO', () => {
    const knees = [
      { policy: 'current', p50: 31_973, base: 116_718 },
      { policy: 'fixed', p50: 217_038, base: 178_529 },
    ];
    expect(baseAgainstDrawsNote(knees, scales)).toBe(
      "The verdicts below are at every assumption's base value; the band draws them all within their ranges, and the two disagree: 100k under current is GO at the base values (knee 116,718) but NO-GO in most draws (P50 31,973): the GO holds only near the base (the flip points name the assumptions that turn it, one at a time).",
    );
  });

  it('names a base NO-GO that most draws turn GO, and says nothing when they agree', () => {
    expect(baseAgainstDrawsNote([{ policy: 'scale', p50: 12_000, base: 9_000 }], scales)).toMatch(
      /: 10k under scale is NO-GO at the base values \(knee 9,000\) but GO in most draws \(P50 12,000\): the NO-GO rests on the base \(/,
    );
    // Equal to the scale counts as carrying it (GO), on both sides.
    expect(baseAgainstDrawsNote([{ policy: 'fixed', p50: 10_000, base: 10_000 }], scales)).toBeNull();
    expect(baseAgainstDrawsNote([{ policy: 'fixed', p50: 500, base: 800 }], scales)).toBeNull();
  });

  it('reads a P50 of 0 (no load passes in half the draws) as NO-GO at every scale', () => {
    expect(baseAgainstDrawsNote([{ policy: 'current', p50: 0, base: 2_000 }], scales)).toMatch(
      /1k under current is GO at the base values \(knee 2,000\) but NO-GO in most draws \(P50 0 \(none passes\)\)/,
    );
  });
});
