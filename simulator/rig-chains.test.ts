import { describe, expect, it } from 'vitest';
import { processorSharingWait } from './cpu.ts';
import { queue } from './queueing.ts';
import { type ChainLoad, chainCpuWait, chainsInFlight, runnableDistribution } from './rig-chains.ts';

const load = (over: Partial<ChainLoad>): ChainLoad => ({
  streams: [10],
  syncSeconds: 0.25,
  chainCores: 1,
  backgroundCores: 0,
  cores: 2,
  ...over,
});

describe('the rig as chains', () => {
  it('finds no wait while the chains in flight cannot outnumber the cores', () => {
    // 10 syncs/s of 0.15 s: 1.5 in flight, so a chain has at most one other beside it.
    expect(chainCpuWait(load({ syncSeconds: 0.15, chainCores: 1.4 }), 1)).toBeNull();
  });

  it('matches the distribution worked by hand', () => {
    // 2.5 chains in flight; a chain's own stream puts 1 or 2 others beside it (½ each); each is on a
    // core 1/2.5 = 0.4 of its life: busy others 0 (0.48), 1 (0.44), 2 (0.08).
    const l = load({});
    expect(chainsInFlight(l)).toBeCloseTo(2.5, 12);
    const r = runnableDistribution(l);
    expect(r[0]).toBe(0);
    expect(r[1]).toBeCloseTo(0.48, 12);
    expect(r[2]).toBeCloseTo(0.44, 12);
    expect(r[3]).toBeCloseTo(0.08, 12);
    // Three runnable on two cores: stretched to 3/2, so x ms waits x/2 with probability 0.08.
    const w = chainCpuWait(l, 2)!;
    expect(w.probability).toBeCloseTo(0.08, 12);
    expect(w.meanMs).toBeCloseTo(1, 12);
  });

  it('adds the load outside the chains as runnable work', () => {
    const r = runnableDistribution(load({ backgroundCores: 0.5 }));
    expect(r.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    const mean = r.reduce((s, p, k) => s + p * k, 0);
    // itself + 1.5 others × 0.4 + 0.5 outside
    expect(mean).toBeCloseTo(1 + 1.5 * 0.4 + 0.5, 12);
    expect(chainCpuWait(load({ backgroundCores: 0.5 }), 1)!.probability).toBeGreaterThan(
      chainCpuWait(load({}), 1)!.probability,
    );
  });

  it('spreads the count more when the same syncs come as independent streams', () => {
    const one = runnableDistribution(load({ streams: [10] }));
    const two = runnableDistribution(load({ streams: [5, 5] }));
    const moments = (r: number[]) => {
      const m = r.reduce((s, p, k) => s + p * k, 0);
      return { mean: m, variance: r.reduce((s, p, k) => s + p * (k - m) ** 2, 0) };
    };
    // Others: one stream 1.5; two streams 0.25 of its own + 1.25 of the other: the same mean.
    expect(moments(two).mean).toBeCloseTo(moments(one).mean, 12);
    expect(moments(two).variance).toBeGreaterThan(moments(one).variance);
  });

  it('waits far less than independent Poisson requests at half the host', () => {
    // 1 of 2 cores busy: M/M/2 processor sharing waits with probability 1/3.
    const ps = processorSharingWait(queue(2, 1, 1000, 1), 1)!;
    expect(ps.probability).toBeCloseTo(1 / 3, 9);
    const chains = chainCpuWait(load({ syncSeconds: 0.2, chainCores: 1 }), 1);
    expect(chains === null ? 0 : chains.probability * chains.meanMs).toBeLessThan(
      (ps.probability * ps.meanMs) / 4,
    );
  });

  it('grows the wait without bound in probability as chains pile up', () => {
    const light = chainCpuWait(load({ syncSeconds: 0.3, chainCores: 1.2 }), 1)!;
    const heavy = chainCpuWait(load({ syncSeconds: 0.6, chainCores: 1.8 }), 1)!;
    expect(heavy.probability).toBeGreaterThan(light.probability);
    expect(heavy.probability * heavy.meanMs).toBeGreaterThan(light.probability * light.meanMs);
    expect(chainCpuWait(load({}), 0)).toBeNull();
  });
});
