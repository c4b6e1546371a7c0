import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../core/profile.ts';
import { createSeedContext } from './context.ts';
import { planUser, SYNC_WINDOW_MS } from './user-plan.ts';

const HOUR = 3_600_000;

describe('planUser', () => {
  const profile = loadProfile('ci-smoke');
  const asOf = new Date('2025-06-01T00:00:00Z');
  const ctx = createSeedContext(profile, 4000, 42, asOf);
  const plans = Array.from({ length: 4000 }, (_, i) => planUser(ctx, i));

  it('is a pure function of (seed, index)', () => {
    expect(planUser(ctx, 17)).toEqual(plans[17]);
    const other = createSeedContext(profile, 4000, 43, asOf);
    expect(planUser(other, 17).id).not.toBe(plans[17]!.id);
  });

  it('puts last activity inside the activity class window and conversations inside the history', () => {
    const bad: string[] = [];
    const floor = asOf.getTime() - profile.historyDays * 24 * HOUR;
    for (const p of plans) {
      const age = asOf.getTime() - p.lastActivity;
      const inClass =
        p.activity === 'active'
          ? age < HOUR
          : p.activity === 'recent'
            ? age >= HOUR && age < 24 * HOUR
            : age >= 24 * HOUR;
      if (!inClass) bad.push(`user ${p.index}: ${p.activity} but last active ${age} ms ago`);
      for (const c of p.conversations) {
        if (c.createdAt > c.updatedAt || c.createdAt < floor) bad.push(`conversation ${c.id}: bad time span`);
        if (c.messages < 1 || c.messages > profile.messagesPerConversation.max)
          bad.push(`conversation ${c.id}: count`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('matches the tier and activity shares and changeSharePer30s for active users', () => {
    const share = (f: (p: (typeof plans)[number]) => boolean) => plans.filter(f).length / plans.length;
    expect(share((p) => p.activity === 'active')).toBeCloseTo(profile.activity.active.share, 1);
    expect(share((p) => p.activity === 'recent')).toBeCloseTo(profile.activity.recent.share, 1);
    expect(share((p) => p.tier === 'free')).toBeCloseTo(profile.tierMix.free, 1);
    const active = plans.filter((p) => p.activity === 'active').flatMap((p) => p.conversations);
    const hot = active.filter((c) => c.updatedAt > asOf.getTime() - SYNC_WINDOW_MS).length / active.length;
    expect(Math.abs(hot - profile.changeSharePer30s)).toBeLessThan(0.01);
    const others = plans.filter((p) => p.activity !== 'active').flatMap((p) => p.conversations);
    expect(others.filter((c) => c.updatedAt > asOf.getTime() - HOUR)).toHaveLength(0);
  });
});
