import { describe, expect, it } from 'vitest';
import { erlangC } from './erlang-c.ts';
import { finiteQueue, finiteQueueWaitSurvival } from './finite-queue.ts';

describe('the M/M/c/K queue', () => {
  it('one server with room for two, offered twice what it serves (worked by hand)', () => {
    // λ = 2/s, S = 1 s: p_n ∝ 2^n for n = 0, 1, 2, so p = (1, 2, 4) / 7.
    const q = finiteQueue(2, 1, 1, 2);
    expect(q.blockedShare).toBeCloseTo(4 / 7, 12);
    expect(q.admittedPerSecond).toBeCloseTo(2 * (3 / 7), 12);
    expect(q.busyServers).toBeCloseTo(6 / 7, 12);
    expect(q.meanPresent).toBeCloseTo((2 + 8) / 7, 12);
    // An admitted arrival finds 0 (1/3, no wait) or 1 present (2/3, waits one Exp(1) service).
    expect(q.admittedSees[0]).toBeCloseTo(1 / 3, 12);
    expect(q.admittedSees[1]).toBeCloseTo(2 / 3, 12);
    expect(q.meanWaitS).toBeCloseTo(2 / 3, 12);
    expect(finiteQueueWaitSurvival(q, -1)).toBe(1);
    expect(finiteQueueWaitSurvival(q, 0)).toBeCloseTo(2 / 3, 12);
    expect(finiteQueueWaitSurvival(q, 1)).toBeCloseTo((2 / 3) * Math.exp(-1), 12);
  });

  it('with room far beyond its load is the M/M/c queue: Erlang C waits, none turned away', () => {
    // 50 servers offered 40 Erlangs, room for 2,000: ρ^1950 ≈ 0, so the tail K cuts off is nothing.
    const q = finiteQueue(64, 50, 0.625, 2_000);
    expect(q.blockedShare).toBeLessThan(1e-100);
    expect(finiteQueueWaitSurvival(q, 0)).toBeCloseTo(erlangC(50, 40), 10);
    // M/M/c: mean wait C · S / (c − a) = C · 0.625 / 10 s; its survival C · e^{−(c − a) t / S}.
    expect(q.meanWaitS).toBeCloseTo((erlangC(50, 40) * 0.625) / 10, 10);
    expect(finiteQueueWaitSurvival(q, 0.1)).toBeCloseTo(erlangC(50, 40) * Math.exp((-10 * 0.1) / 0.625), 10);
  });

  it("past its servers sheds what they cannot carry and waits near a full line's drain (worked by hand)", () => {
    // The rig's sockets at 1.1 K: 88 messages/s on 50 sockets of 0.625 s (80/s), room for 135. With a
    // = 55 > c the states above c are geometric in ρ = 1.1, so counted down from K they fall by r = 1/ρ:
    // p_{K−j} ∝ r^j, j = 0..85 (the states below c weigh ρ^−85 ≈ 3e-4 of p_c's share: nothing here).
    const r = 1 / 1.1;
    const q = finiteQueue(88, 50, 0.625, 135);
    expect(q.blockedShare).toBeCloseTo((1 - r) / (1 - r ** 86), 3);
    // Whatever is admitted is served: admitted × S = busy servers, here all but a hair of the 50.
    expect(q.admittedPerSecond * 0.625).toBeCloseTo(q.busyServers, 9);
    expect(q.busyServers).toBeGreaterThan(49.9);
    // Waiting: 85 − E[j], E[j] = r/(1 − r) − 86 r^86/(1 − r^86) = 9.977; wait = that / 80 per s.
    const ej = r / (1 - r) - (86 * r ** 86) / (1 - r ** 86);
    expect(q.meanWaitS).toBeCloseTo((85 - ej) / 80, 2);
  });

  it('refuses servers below one, room below the servers and a service of no length', () => {
    expect(() => finiteQueue(1, 0, 1, 2)).toThrow(RangeError);
    expect(() => finiteQueue(1, 3, 1, 2)).toThrow(/capacity/);
    expect(() => finiteQueue(1, 1, 0, 2)).toThrow(RangeError);
  });
});
