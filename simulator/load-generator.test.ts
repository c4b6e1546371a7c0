import { describe, expect, it } from 'vitest';
import { k6Vus, streamOutcomes, sustainableShare } from './load-generator.ts';

describe('the load generator', () => {
  it('sizes VUs as the k6 scenarios do (scenarios/lib/open-model.ts)', async () => {
    // The k6 side reads its cap from __ENV; give it the runner's 200 and compare over a grid.
    (globalThis as unknown as { __ENV: Record<string, string> }).__ENV = { MAX_VUS: '200' };
    const { vusFor } = await import('../scenarios/lib/open-model.ts');
    for (const rate of [0.1, 1, 3.3, 12.5, 40, 90])
      for (const t of [0.05, 0.2, 0.49, 2]) expect(k6Vus(rate, t)).toEqual(vusFor(rate, t));
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
    const [o] = streamOutcomes(streams, share, time(share));
    expect(o!.achievedPerSecond).toBeCloseTo(20, 1);
    expect(o!.droppedPerSecond).toBeCloseTo(20, 1);
    expect(o!.busyVUs).toBeCloseTo(30, 1);
  });

  it('stops short of a saturated system (unbounded time)', () => {
    const streams = [{ name: 'a', askedPerSecond: 10, maxVUs: 50 }];
    // Saturated past 0.8 of the asked rate; below it the time is 1 / (0.8 − share) s.
    const share = sustainableShare(streams, (s) => [s >= 0.8 ? null : 1 / (0.8 - s)]);
    // s·10 / (0.8 − s) = 50 → s = 40 / 60.
    expect(share).toBeCloseTo(2 / 3, 3);
  });
});
