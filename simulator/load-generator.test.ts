import { describe, expect, it } from 'vitest';
import { arrivalSpreadSeconds } from '../scenarios/lib/arrival-spread.ts';
import { k6Vus, streamOutcomes, sustainableShare, vuSecondsPerIteration } from './load-generator.ts';

describe('the load generator', () => {
  it('sizes VUs as the k6 scenarios do (scenarios/lib/open-model.ts)', async () => {
    // The k6 side reads its cap from __ENV; give it the runner's 200 and compare over a grid.
    (globalThis as unknown as { __ENV: Record<string, string> }).__ENV = { MAX_VUS: '200' };
    const { vusFor } = await import('../scenarios/lib/open-model.ts');
    for (const rate of [0.1, 1, 3.3, 12.5, 40, 90])
      for (const t of [0.05, 0.2, 0.49, 2]) expect(k6Vus(rate, t)).toEqual(vusFor(rate, t));
  });

  it("spreads each stream's arrivals over one beat, at most 1 s (hand-worked)", () => {
    expect(arrivalSpreadSeconds(40)).toBeCloseTo(0.025, 12); // one beat of 25 ms
    expect(arrivalSpreadSeconds(2.8)).toBeCloseTo(1 / 2.8, 12);
    expect(arrivalSpreadSeconds(0.4)).toBe(1); // a 2.5 s beat, capped at 1 s
    expect(arrivalSpreadSeconds(0)).toBe(0);
    // A VU is held for the work plus the delay's mean: 0.08 s + 0.025 s / 2.
    expect(vuSecondsPerIteration(40, 0.08)).toBeCloseTo(0.0925, 12);
  });

  it("gives k6's scenarios the VUs and the spread the model counts (scenarios/lib/open-model.ts arrival)", async () => {
    (globalThis as unknown as { __ENV: Record<string, string> }).__ENV = { MAX_VUS: '200', DURATION_S: '90' };
    const { arrival } = await import('../scenarios/lib/open-model.ts');
    for (const rate of [0.4, 2.8, 12.5, 47.6]) {
      const s = arrival('sync', rate, 0.08) as { maxVUs: number; env: Record<string, string> };
      expect(s.maxVUs).toBe(k6Vus(rate, vuSecondsPerIteration(rate, 0.08)).maxVUs);
      expect(Number(s.env.ARRIVAL_SPREAD_S)).toBe(arrivalSpreadSeconds(rate));
    }
  });

  it('keeps the asked rate while busy VUs fit', () => {
    const streams = [{ name: 'a', askedPerSecond: 10, maxVUs: 20 }];
    expect(sustainableShare(streams, () => [1.5])).toBe(1);
  });

  it('turns closed when the iteration time outgrows the VUs (hand-worked)', () => {
    // Iteration time 0.5 s + 2 s × share (latency grows with the load), 40 asked/s, 30 VUs:
    // share·40·(0.5 + 2·share) = 30 → 80 s² + 20 s − 30 = 0 → s = (−20 + √(400 + 9600)) / 160 = 0.5000.
    const streams = [{ name: 'a', askedPerSecond: 40, maxVUs: 30 }];
    const time = (s: number) => [0.5 + 2 * s];
    const share = sustainableShare(streams, time);
    expect(share).toBeCloseTo(0.5, 3);
    const [o] = streamOutcomes(streams, time(share));
    expect(o!.achievedPerSecond).toBeCloseTo(20, 1);
    expect(o!.droppedPerSecond).toBeCloseTo(20, 1);
    expect(o!.busyVUs).toBeCloseTo(30, 1);
  });

  it('drops only on the stream out of VUs; the others keep their rate (hand-worked)', () => {
    // Two streams, 10/s with 100 VUs and 30/s with 12 VUs; iteration time 0.2 s + 0.6 s × share.
    // At share φ the second achieves 12/(0.2 + 0.6φ) if below 30; φ = (10 + 12/(0.2 + 0.6φ))/40:
    // 40φ(0.2 + 0.6φ) = 2 + 6φ + 12 → 24φ² + 2φ − 14 = 0 → φ = (−2 + √(4 + 1344))/48 = 0.7233.
    const streams = [
      { name: 'a', askedPerSecond: 10, maxVUs: 100 },
      { name: 'b', askedPerSecond: 30, maxVUs: 12 },
    ];
    const time = (s: number) => [0.2 + 0.6 * s, 0.2 + 0.6 * s];
    const share = sustainableShare(streams, time);
    expect(share).toBeCloseTo((-2 + Math.sqrt(1348)) / 48, 3);
    const [a, b] = streamOutcomes(streams, time(share));
    expect(a!.droppedPerSecond).toBe(0);
    expect(b!.busyVUs).toBeCloseTo(12, 9);
    expect(a!.achievedPerSecond + b!.achievedPerSecond).toBeCloseTo(40 * share, 2);
  });

  it('stops short of a saturated system (unbounded time)', () => {
    const streams = [{ name: 'a', askedPerSecond: 10, maxVUs: 50 }];
    // Saturated past 0.8 of the asked rate; below it the time is 1 / (0.8 − share) s.
    const share = sustainableShare(streams, (s) => [s >= 0.8 ? null : 1 / (0.8 - s)]);
    // s·10 / (0.8 − s) = 50 → s = 40 / 60.
    expect(share).toBeCloseTo(2 / 3, 3);
  });
});
