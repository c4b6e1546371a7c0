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
