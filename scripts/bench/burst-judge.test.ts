import { describe, expect, it } from 'vitest';
import {
  burstLevels,
  burstOutcome,
  DRAIN_WITHIN_SECONDS,
  HELD_CONGESTED_SHARE,
  judgeBurstLevel,
} from './burst-judge.ts';

const m = (users: number | null, kneeUsers: number) => ({
  users,
  kneeUsers,
  collapsedCpuFactor: 1.24,
  saturatedResources: ['db.pool' as const],
});

describe('the burst bench (burst-judge.ts)', () => {
  it('by hand: 0.85 M expected to drain and midway from M to K to hold', () => {
    expect(burstLevels(m(8000, 10000))).toEqual([
      { users: 6800, ofKnee: 0.68, expect: 'drains' },
      { users: 9000, ofKnee: 0.9, expect: 'holds' },
    ]);
  });

  it('where no collapse holds itself up to K, 0.8 K and 0.95 K, both expected to drain', () => {
    expect(burstLevels(m(null, 2000)).map((l) => [l.users, l.expect])).toEqual([
      [1600, 'drains'],
      [1900, 'drains'],
    ]);
    expect(burstLevels(m(2000, 2000)).every((l) => l.expect === 'drains')).toBe(true);
  });

  it("a replicate's outcome: held from half the rest congested, drained when calm soon and seldom congested", () => {
    expect(burstOutcome({ calmAfterSeconds: null, congestedShare: HELD_CONGESTED_SHARE, seconds: 30 })).toBe(
      'holds',
    );
    expect(burstOutcome({ calmAfterSeconds: 2, congestedShare: 0.1, seconds: 30 })).toBe('drains');
    // Calm again, but too late to count as drained.
    expect(
      burstOutcome({ calmAfterSeconds: DRAIN_WITHIN_SECONDS + 1, congestedShare: 0.3, seconds: 30 }),
    ).toBe('between');
    expect(burstOutcome(null)).toBe('unread');
  });

  it('a level passes only when every replicate did what the model expects', () => {
    const level = { users: 9000, ofKnee: 0.9, expect: 'holds' as const };
    const held = { run: 'r1', recovery: { calmAfterSeconds: null, congestedShare: 0.9, seconds: 33 } };
    const drained = { run: 'r2', recovery: { calmAfterSeconds: 1, congestedShare: 0.05, seconds: 33 } };
    expect(judgeBurstLevel(level, [held]).pass).toBe(true);
    const mixed = judgeBurstLevel(level, [held, drained]);
    expect(mixed.pass).toBe(false);
    expect(mixed.lines[0]).toMatch(/0\.90K = 9000 users, a full pool expected to stay full: FAIL/);
    expect(mixed.lines[2]).toMatch(/r2: calm again 1 s after it; .* 5 % of the 33 s after it: drains/);
    expect(judgeBurstLevel(level, []).pass).toBe(false);
  });
});
