import { describe, expect, it } from 'vitest';
import { poolSeconds } from '../test/support/pool-seconds.ts';
import { CALM_RUN_SECONDS, poolRecovery } from './pool-recovery.ts';

/** Runs of seconds one after another, numbered from 0. */
const series = (...parts: ReturnType<typeof poolSeconds>[]) => parts.flat().map((s, t) => ({ ...s, t }));

describe("a pool's recovery after a burst (pool-recovery.ts)", () => {
  it('by hand: calm 3 s after the burst, full with waiters 3 of the 20 s after it', () => {
    // 24 s calm, 3 s of burst (full, waiting), then 3 s full with waiters, 17 s calm.
    const s = series(
      poolSeconds(24, 100, 40, 2, 0),
      poolSeconds(3, 10, 40, 10, 50),
      poolSeconds(3, 100, 80, 10, 20),
      poolSeconds(17, 100, 40, 2, 0),
    );
    const r = poolRecovery(s, 27)!;
    expect(r.seconds).toBe(20);
    expect(r.calmAfterSeconds).toBe(3);
    expect(r.congestedShare).toBeCloseTo(3 / 20, 12);
  });

  it('a pool that stays full is never calm again within the window', () => {
    const s = series(poolSeconds(27, 100, 40, 2, 0), poolSeconds(33, 60, 90, 10, 30));
    const r = poolRecovery(s, 27)!;
    expect(r.calmAfterSeconds).toBeNull();
    expect(r.congestedShare).toBe(1);
  });

  it('calm means CALM_RUN_SECONDS in a row with none waiting: a second of respite is not it', () => {
    const respite = poolSeconds(CALM_RUN_SECONDS - 1, 100, 40, 4, 0);
    const s = series(
      poolSeconds(10, 100, 40, 10, 5),
      respite,
      poolSeconds(2, 100, 40, 10, 5),
      poolSeconds(10, 100, 40, 3, 0),
    );
    const r = poolRecovery(s, 0)!;
    expect(r.calmAfterSeconds).toBe(10 + CALM_RUN_SECONDS - 1 + 2);
  });

  it('no pool samples after the burst: null', () => {
    expect(poolRecovery(series(poolSeconds(10, 100, 40, 2, 0)), 10)).toBeNull();
  });
});
