import { describe, expect, it } from 'vitest';
import { Random } from './des/random.ts';
import { streamInFlight } from './stream-in-flight.ts';

const mean = (c: Map<number, number>) => [...c].reduce((s, [k, p]) => s + k * p, 0);
const variance = (c: Map<number, number>) => {
  const m = mean(c);
  return [...c].reduce((s, [k, p]) => s + p * (k - m) ** 2, 0);
};

describe('a stream of syncs in flight when their durations vary', () => {
  it('is floor or ceil of rate × mean when every sync lasts the mean, and size-biased by hand', () => {
    // 10 starts a second of 0.25 s: 2 or 3 in flight, ½ each; one of them sees 1 other with weight
    // 2·½ and 2 with 3·½: 0.4 and 0.6.
    const n = streamInFlight(10, 0.25, 1e-4, false);
    expect(n.get(2)).toBeCloseTo(0.5, 6);
    expect(n.get(3)).toBeCloseTo(0.5, 6);
    const others = streamInFlight(10, 0.25, 1e-4, true);
    expect(others.get(1)).toBeCloseTo(0.4, 6);
    expect(others.get(2)).toBeCloseTo(0.6, 6);
  });

  it('matches a simulation of evenly spaced starts with log-normal durations', () => {
    // Little's law holds whatever the spread (mean rate × mean duration); the spread is the simulation's.
    const rate = 8;
    const meanSeconds = 0.4;
    const cv = 0.5;
    const sigma = Math.sqrt(Math.log(1 + cv * cv));
    const random = new Random(7);
    const ends: number[] = [];
    for (let j = 0; j < 200_000; j++)
      ends.push(j / rate + meanSeconds * Math.exp(sigma * random.normal() - (sigma * sigma) / 2));
    const counts = new Map<number, number>();
    const looks = 20_000;
    for (let i = 0; i < looks; i++) {
      const t = 1000 + random.uniform() * 20_000;
      let n = 0;
      for (let j = Math.floor((t - 10) * rate); j <= Math.floor(t * rate); j++)
        if (j / rate <= t && ends[j]! > t) n++;
      counts.set(n, (counts.get(n) ?? 0) + 1 / looks);
    }
    const model = streamInFlight(rate, meanSeconds, cv, false);
    expect(mean(model)).toBeCloseTo(rate * meanSeconds, 2);
    expect(mean(counts)).toBeCloseTo(rate * meanSeconds, 1);
    expect(variance(model)).toBeGreaterThan(variance(counts) * 0.9);
    expect(variance(model)).toBeLessThan(variance(counts) * 1.1);
    // Far more spread than floor or ceil (variance at most ¼).
    expect(variance(model)).toBeGreaterThan(0.5);
  });
});
