import { describe, expect, it } from 'vitest';
import { kneeQuantile, noKneeNote } from '../review/format.ts';
import { kneeBandChart } from './knee-band-chart.ts';

describe('knee band with a P10 of 0 (no load passes in at least 10% of draws)', () => {
  const bands = [
    { policy: 'current', p10: 0, p50: 17_623, p90: 57_076, base: 74_527 },
    { policy: 'fixed', p10: 40_000, p50: 195_797, p90: 410_271, base: 178_529 },
  ];
  const chart = kneeBandChart(bands, [1000, 10_000, 100_000], 1000);
  const json = JSON.stringify(chart.spec);

  it('keeps the axis from the smallest scale / 10 and labels the 0 at the left edge', () => {
    expect(json).toContain('"domain":[100,1000000]');
    expect(json).toContain('"none":true,"p10":100');
    expect(json).toContain('"none":false,"p10":40000');
    expect(json).toContain('0: none passes');
    expect(chart.caption).toContain('none passes');
  });

  it('says it in the tables: the cell and one sentence naming the policies', () => {
    expect(kneeQuantile(0)).toBe('0 (none passes)');
    expect(kneeQuantile(17_623)).toBe('17,623');
    expect(noKneeNote(bands)).toMatch(/^P10 of 0 \(current\): in at least 10% of the draws/);
    expect(noKneeNote(bands.slice(1))).toBeNull();
  });
});

describe('the note names an assumption that breaks a budget at any load', () => {
  const knees = [
    { policy: 'current', p10: 0 },
    { policy: 'fixed', p10: 0 },
  ];
  const up = (policy: string, users: number, value: number) => ({
    dial: 'upstreamP95Ms',
    policy,
    users,
    flips: [{ value, below: 'GO' as const, above: 'NO-GO' as const }],
  });
  const scales = [1000, 10_000, 100_000];

  it('a dial turning every verdict it turns at one value, from the smallest scale on, is named', () => {
    const flips = [
      up('current', 1000, 2990),
      up('current', 10_000, 2991),
      // current at 100k is NO-GO at base: no upstream flip there, which does not unname it
      {
        dial: 'monthlyActiveShare',
        policy: 'current',
        users: 100_000,
        flips: [{ value: 0.373, below: 'GO' as const, above: 'NO-GO' as const }],
      },
      up('fixed', 1000, 2990),
      up('fixed', 10_000, 2990),
      up('fixed', 100_000, 2990),
    ];
    expect(noKneeNote(knees, flips, scales)).toBe(
      'P10 of 0 (current, fixed): in at least 10% of the draws a budget breaks at any number of users, so an assumption alone decides there: upstreamP95Ms NO-GO above 2990 (current, fixed), from the smallest scale reviewed on and at the same value at every scale it turns, so whatever the load (flip points below).',
    );
  });

  it('a dial whose flip moves with the load, or that does not turn the smallest scale, is not named', () => {
    const moving = [up('current', 1000, 2990), up('current', 10_000, 2500), up('fixed', 1000, 2990)];
    expect(noKneeNote(knees, moving, scales)).toMatch(/\(the flip points below name which, and where\)\.$/);
    const notAtSmallest = [up('current', 10_000, 2990), up('fixed', 1000, 2990)];
    expect(noKneeNote(knees, notAtSmallest, scales)).toMatch(/name which, and where\)\.$/);
  });
});
