import { describe, expect, it } from 'vitest';
import { pooledP95, undecidedEndpoints, widerThanTolerance } from './pooled-p95.ts';
import type { DurationSample } from './settled-p95.ts';

const opts = { blockSeconds: 10, resamples: 400, confidence: 0.9, seed: 1 };
const at = (t: number, ms: number, endpoint = 'e'): DurationSample => ({ t, endpoint, ms });

describe("a level's pooled p95", () => {
  it("is the p95 of every replicate's samples together, not the median of their p95s (hand-worked)", () => {
    // Replicate 1: 1..10 ms, replicate 2: 11..20 ms. Pooled 1..20: p95 = 1 + 0.95·19 = 19.05 (type 7);
    // their own p95s 9.55 and 19.55 have the median 14.55.
    const r1 = Array.from({ length: 10 }, (_, i) => at(i * 1000, i + 1));
    const r2 = Array.from({ length: 10 }, (_, i) => at(i * 1000, i + 11));
    const p = pooledP95([r1, r2], opts);
    expect(p.e!.p95).toBeCloseTo(19.05, 12);
    expect(p.e!.samples).toBe(20);
  });

  it('has a zero-width interval when every block holds the same samples', () => {
    // Six 10 s blocks, each 1..5 ms: every resample is the same multiset, so it has the same p95.
    const r = Array.from({ length: 30 }, (_, i) => at(Math.floor(i / 5) * 10_000 + (i % 5), (i % 5) + 1));
    const p = pooledP95([r], opts).e!;
    expect(p.low).toBe(p.p95);
    expect(p.high).toBe(p.p95);
  });

  it('keeps a slow episode whole: one slow block of six can be drawn 0 times (p = (5/6)^6 = 0.33)', () => {
    // 10 samples per 10 s block; block 3 is 100 ms, the rest 1 ms. Pooled: 50 × 1 and 10 × 100, the
    // p95 (rank 0.95·59 = 56.05) is 100. A resample holds k ~ Binomial(6, 1/6) slow blocks: k = 0
    // (a third of the draws) gives p95 1, k ≥ 1 gives 100 (10 or more of 60 at 100). So the 90 %
    // interval is [1, 100]; drawing requests one by one would almost never give fewer than 3 slow ones.
    const r = Array.from({ length: 60 }, (_, i) => at(i * 1000, Math.floor(i / 10) === 3 ? 100 : 1));
    const p = pooledP95([r], opts).e!;
    expect(p.p95).toBe(100);
    expect(p.low).toBe(1);
    expect(p.high).toBe(100);
  });

  it("spans the replicates' own p95s when they disagree: a resample of the calm replicate twice (p = 1/4)", () => {
    // Replicate 1 calm, 2 ms in every second; replicate 2 collapsed, 50 ms. Six 10 s blocks each, all
    // alike within a replicate, so a resample's p95 is set by which replicates it drew: {1, 1} (a quarter
    // of the resamples) gives 2, {2, 2} (a quarter) gives 50, {1, 2} (half) gives the pooled p95, 50.
    // The 90 % interval is then [2, 50]; drawing blocks within each replicate alone gives [50, 50].
    const calm = Array.from({ length: 60 }, (_, i) => at(i * 1000, 2));
    const collapsed = Array.from({ length: 60 }, (_, i) => at(i * 1000, 50));
    const p = pooledP95([calm, collapsed], opts).e!;
    expect(p.p95).toBe(50);
    expect(p.low).toBe(2);
    expect(p.high).toBe(50);
    expect(undecidedEndpoints({ e: p }, 0.25)).toEqual(['e']);
  });

  it('gives each endpoint its own figure and leaves out endpoints with no sample', () => {
    const r = [at(0, 1, 'a'), at(1000, 3, 'a'), at(0, 7, 'b')];
    const p = pooledP95([r, []], opts);
    expect(Object.keys(p)).toEqual(['a', 'b']);
    expect(p.a!.p95).toBeCloseTo(1 + 0.95 * 2, 12);
    expect(p.b!.p95).toBe(7);
  });
});

describe('whether the measurement alone can decide a 25 % goal', () => {
  const of = (p95: number, low: number, high: number) => ({ p95, low, high, samples: 100 });

  it('is wide when either end of the interval reaches past ±25 % of the p95, not when it touches it', () => {
    // p95 10 ms: the goal's band is [7.5, 12.5].
    expect(widerThanTolerance({ low: 7.5, high: 12.5 }, 10, 0.25)).toBe(false);
    expect(widerThanTolerance({ low: 7.4, high: 10 }, 10, 0.25)).toBe(true);
    expect(widerThanTolerance({ low: 10, high: 12.6 }, 10, 0.25)).toBe(true);
  });

  it('names the endpoints whose interval is wider, sorted, healthz left out', () => {
    const pooled = {
      'rest.push': of(10, 9, 12.6),
      'rest.conversations': of(10, 7, 11),
      'rest.messages': of(4, 3.5, 4.8),
      healthz: of(1, 0.1, 5),
    };
    expect(undecidedEndpoints(pooled, 0.25)).toEqual(['rest.conversations', 'rest.push']);
    expect(undecidedEndpoints({ 'rest.messages': of(4, 3.5, 4.8) }, 0.25)).toEqual([]);
  });

  it("reads a slow episode's level as undecided: the interval [1, 100] of the episode case above", () => {
    const r = Array.from({ length: 60 }, (_, i) => at(i * 1000, Math.floor(i / 10) === 3 ? 100 : 1));
    expect(undecidedEndpoints(pooledP95([r], opts), 0.25)).toEqual(['e']);
  });
});
