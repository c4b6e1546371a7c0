import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { tinyProfile } from '../test/support/tiny-profile.ts';
import { pageReads, workingSetOf } from './page-reads.ts';

// Worked by hand (the two-group solution by bisection apart from this code). tiny: ci-smoke's shape
// (10 % paid, online share 1, 500-character messages: 700-byte rows, 300-byte conversation rows), 5
// conversations a user. At 10,000 users 1,000 paid users sync, each every 30 s (current: full sync).
const full = loadPolicy('current');
const input = { rowsPerPage: 2, messagesPerConversation: 20, looping: 'online' as const };

describe('pages a sync reads, by working set', () => {
  it('reads nothing while the working set fits', () => {
    const r = pageReads(tinyProfile, full, 10_000, input, 8192 * 60_000);
    expect(r.perSync).toBe(0);
    expect(r.perStatement['rest.messages']).toBe(0);
    expect(r.loopingUsers).toBeCloseTo(1_000, 9);
  });

  it('reads the heap pages and index leaves the cache lets go (worked by hand)', () => {
    // A sync's heap pages: 5 × 20 messages / 2 a page = 50, and 5 conversations at 2 × 700 / 300 =
    // 4.667 a page = 1.0714: 51.0714 a user, 51,071.4 pages at 1/30 a second each. Index: 50,000
    // conversations × (32 + 15 × 20) bytes = 16.6 MB = 2,026.4 pages of 24.67 conversations each; the
    // looping users hold 5,000 of the 50,000 conversations (f = 0.1), so 1 − e^(−2.467) = 0.9152 of the
    // pages, 1,854.53, are referenced: 2 × 166.67 (messages) + 33.33 (conversations) = 366.67 times a
    // second, 0.197714 a page (Poisson). The heap pages are periodic (each once every 30 s): on 30,000
    // pages, 51,071.4 × min(1, T/30) + 1,854.53 × (1 − e^(−0.197714 T)) = 30,000 at T = 16.5741 s < 30,
    // so every heap page misses, and the index misses e^(−0.197714 T) = 0.037744.
    const r = pageReads(tinyProfile, full, 10_000, input, 8192 * 30_000);
    // A sync: 51.0714 + 11 leaves × 0.037744 = 51.4866 pages.
    expect(r.perSync).toBeCloseTo(51.4866, 3);
    // A conversations statement: 1.0714 + 0.037744 = 1.109173; a messages statement: 10 + 2 × 0.037744
    // = 10.075488.
    expect(r.perStatement['rest.conversations']).toBeCloseTo(1.109173, 5);
    expect(r.perStatement['rest.messages']).toBeCloseTo(10.075488, 5);
    // (51,071.4 + 1,854.5) pages × 8,192 bytes.
    expect(r.workingSetBytes).toBeCloseTo(433_569_477, -1);
  });

  it("sends shared_buffers' misses the OS page cache lets go to the disk (worked by hand)", () => {
    // On 10,000 pages of shared_buffers every heap page misses and the index 0.3593665 of its
    // references (a messages statement 10 + 2 × 0.3593665 = 10.718733 pages). The page cache sees
    // those: 51,071.4 heap pages every 30 s (1,702.38 a second) and 1,854.53 index pages at 0.197714 ×
    // 0.3593665 = 0.0710518 a second each (131.77 a second), and 0.25 pages more for each, 458.537 a
    // second, never used again. On 30,000 pages, at T = 30 s the loop alone fills 51,071: T solves
    // 51,071.4 T / 30 + 1,854.53 (1 − e^(−0.0710518 T)) + 458.537 T = 30,000 at T = 13.357 s
    // (bisection apart from this code): every heap page misses, the index e^(−0.949) = 0.387113.
    const set = workingSetOf(tinyProfile, full, 10_000, input);
    const tiers = set.readsOnTiers(8192 * 10_000, 8192 * 30_000, 0.25);
    expect(tiers.buffers.perStatement['rest.messages']).toBeCloseTo(10.718733, 5);
    // A messages statement from the disk: 10 + 2 × 0.3593665 × 0.387113 = 10.278231.
    expect(tiers.disk.perStatement['rest.messages']).toBeCloseTo(10.278231, 4);
    // On 80,000 pages the loop, the index's referenced pages and 30 s of the inflow fit (66,462): T
    // solves 51,071.4 + 1,854.53 (1 − e^(−0.0710518 T)) + 458.537 T = 80,000 at T = 59.105 s: the heap
    // pages stay, the index misses e^(−4.1995) = 0.0150027: 2 × 0.3593665 × 0.0150027 = 0.010783.
    const kept = set.readsOnTiers(8192 * 10_000, 8192 * 80_000, 0.25);
    expect(kept.disk.perStatement['rest.messages']).toBeCloseTo(0.010783, 5);
    // No page cache sends every miss of shared_buffers to the disk.
    const none = set.readsOnTiers(8192 * 10_000, 0, 0.25);
    expect(none.disk.perSync).toBeCloseTo(none.buffers.perSync, 12);
  });

  it('loops over every seeded syncing user on the rig, at the rate the online share sets', () => {
    // Online share 0.5: 500 syncing users online (one every 30 s), but k6 cycles all 1,000 seeded
    // ones: the working set is the same 1,000 users' pages, each referenced half as often.
    const half = { ...tinyProfile, onlineShare: 0.5 };
    const rig = pageReads(half, full, 10_000, { ...input, looping: 'seeded' }, 8192 * 30_000);
    const online = pageReads(half, full, 10_000, input, 8192 * 30_000);
    expect(rig.loopingUsers).toBeCloseTo(1_000, 9);
    expect(online.loopingUsers).toBeCloseTo(500, 9);
    expect(rig.workingSetBytes).toBeGreaterThan(online.workingSetBytes);
    expect(online.perSync).toBe(0); // 500 × 51.07 + 2,026 × (1 − e^(−1.23)) = 26,972 pages fit in 30,000
    expect(rig.perSync).toBeGreaterThan(20);
  });

  it("counts a delta sync's conversation rows and not its new messages", () => {
    const delta = loadPolicy('fixed');
    // Conversation pages only: 1.0714 a sync, whatever the messages; all fit in 60,000 pages.
    const r = pageReads(tinyProfile, delta, 10_000, input, 8192 * 60_000);
    expect(r.perSync).toBe(0);
    const tight = pageReads(tinyProfile, delta, 10_000, input, 8192 * 10);
    expect(tight.perStatement['rest.messages'] ?? 0).toBeLessThanOrEqual(2);
    expect(tight.perStatement['rest.conversations']).toBeGreaterThan(0.9);
  });
});
