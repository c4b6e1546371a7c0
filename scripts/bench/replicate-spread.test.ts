import { describe, expect, it } from 'vitest';
import { replicateSpreadLine, replicateSpreads } from './replicate-spread.ts';
import type { DurationSample } from './settled-p95.ts';

/** A window of one endpoint whose samples are 1..n ms, one per 10 ms. */
function window(endpoint: string, n: number, scale = 1): DurationSample[] {
  return Array.from({ length: n }, (_, i) => ({ t: i * 10, endpoint, ms: (i + 1) * scale }));
}

describe("a level's replicates against each other", () => {
  it("gives each replicate's own p95 and the larger over the smaller, less one", () => {
    // 1..21 ms: type-7 p95 at rank 0.95 × 20 = 19 → 20 ms; the second replicate ×1.5 → 30 ms.
    const spreads = replicateSpreads([
      [...window('rest.messages', 21), ...window('healthz', 5)],
      window('rest.messages', 21, 1.5),
    ]);
    expect(spreads).toEqual([{ endpoint: 'rest.messages', p95s: [20, 30], spread: 0.5 }]);
    const line = replicateSpreadLine(spreads);
    expect(line).toContain('rest.messages 20.00 / 30.00 ms (50 %, beyond the goal)');
    expect(line).toContain('1 endpoint(s) where one replicate as the prediction of the other would fail');
  });

  it('marks nothing when the replicates lie within the goal of each other', () => {
    const line = replicateSpreadLine(
      replicateSpreads([window('rest.push', 21), window('rest.push', 21, 1.2)]),
    );
    expect(line).toContain('rest.push 20.00 / 24.00 ms (20 %)');
    expect(line).not.toContain('beyond');
  });

  it('says so when fewer than two replicates have samples', () => {
    const spreads = replicateSpreads([window('rest.push', 5), []]);
    expect(spreads).toEqual([{ endpoint: 'rest.push', p95s: [4.8], spread: 0 }]);
    expect(replicateSpreadLine(spreads)).toContain('fewer than two');
  });
});
