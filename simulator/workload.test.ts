import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import {
  changeShareWithin,
  ENDPOINTS,
  PUSH_REQUESTS_PER_SYNC,
  QUERIES_PER_MESSAGE,
  workloadAt,
} from './workload.ts';

const profile = loadProfile('launch-10k');
const current = loadPolicy('current');
const fixed = loadPolicy('fixed');

describe('workloadAt', () => {
  it('full sync every 30 s: paid online users / 30 syncs per second, 1 + C + push requests per sync', () => {
    const w = workloadAt(profile, current, 10_000);
    // tierMix core 0.07 + studio 0.03 = 10% of 10k online users sync.
    expect(w.onlineUsers).toBe(10_000);
    expect(w.syncingUsers).toBeCloseTo(1000, 9);
    expect(w.syncsPerSecond).toBeCloseTo(1000 / 30, 9);
    expect(w.syncsPerSecondByClass.active).toBeCloseTo(100 / 30, 9);
    expect(w.queriesPerSync).toBeCloseTo(1 + 50 + PUSH_REQUESTS_PER_SYNC, 9);
    expect(w.rowsPerSync).toBeCloseTo(50 + 50 * 8, 9);
    expect(w.messagesPerSecond).toBeCloseTo((10_000 * 2) / 60, 9);
    expect(w.messagesPerSecondByTier.free).toBeCloseTo((9000 * 2) / 60, 9);
    expect(w.queriesPerSecond).toBeCloseTo((1000 / 30) * 52 + ((10_000 * 2) / 60) * QUERIES_PER_MESSAGE, 6);
    expect(w.requestsPerSecondByEndpoint[ENDPOINTS.messages]).toBeCloseTo((1000 / 30) * 50, 9);
    expect(w.arrivalRates).toEqual({ sync: w.syncsPerSecond, [ENDPOINTS.message]: w.messagesPerSecond });
  });

  it('delta + adaptive: per-class intervals and expected changed conversations', () => {
    const w = workloadAt(profile, fixed, 10_000);
    expect(w.intervalSecondsByClass).toEqual({ active: 30, recent: 300, inactive: 1800 });
    expect(w.syncsPerSecond).toBeCloseTo(100 / 30 + 200 / 300 + 700 / 1800, 9);
    const active = w.syncCostByClass.active;
    expect(active.changeShare).toBeCloseTo(0.05, 12);
    expect(active.changedConversations).toBeCloseTo(2.5, 12);
    expect(active.anyChangeShare).toBeCloseTo(1 - 0.95 ** 50, 12);
    expect(active.queriesPerSync).toBeCloseTo(1 + (1 - 0.95 ** 50) + 1, 12);
    // 5 minutes = 10 windows of 30 s.
    expect(w.syncCostByClass.recent.changeShare).toBeCloseTo(1 - 0.95 ** 10, 12);
    expect(w.queriesPerSync).toBeLessThan(3);
    expect(w.queriesPerSync).toBeGreaterThan(2);
  });

  it('scales linearly in users and is zero at zero users', () => {
    const a = workloadAt(profile, fixed, 1000);
    const b = workloadAt(profile, fixed, 100_000);
    expect(b.queriesPerSecond / a.queriesPerSecond).toBeCloseTo(100, 9);
    expect(workloadAt(profile, fixed, 0).queriesPerSecond).toBe(0);
    expect(() => workloadAt(profile, fixed, -1)).toThrow(RangeError);
  });

  it('change share compounds over the interval', () => {
    expect(changeShareWithin(0.05, 30)).toBeCloseTo(0.05, 12);
    expect(changeShareWithin(0.05, 60)).toBeCloseTo(1 - 0.95 ** 2, 12);
    expect(changeShareWithin(1, 5)).toBe(1);
  });
});
