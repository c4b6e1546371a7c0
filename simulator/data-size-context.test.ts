import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadPricing } from '../scripts/inputs/pricing.ts';
import { tinyProfile } from '../test/support/tiny-profile.ts';
import { predictAnalytic } from './analytic.ts';
import { defaultAssumptions } from './assumptions.ts';
import type { Calibration } from './calibration.ts';
import {
  contextAtUsers,
  contextOnCompute,
  DEFAULT_DATABASE_RAM_GB,
  databaseMemoryOf,
} from './data-size-context.ts';
import type { DataSizeInput } from './data-size-demand.ts';
import { dataSizeSettingsOf } from './data-size-settings.ts';
import { defaultCalibration } from './defaults.ts';
import { findKnee } from './knee.ts';
import { modelFor, simulate } from './simulate.ts';

// Every expected figure below is worked by hand in the comment beside it.

// 10 users × 5 conversations × 2 messages seeded (100), 20 at the reference (1,000; 100 per user).
const tiny = tinyProfile;
const current = loadPolicy('current'); // full sync every 30 s
// Sockets enough that the language model's is not the first limit (the knee test's limit is the data).
const full = { ...current, upstream: { ...current.upstream, maxSockets: 1000 } };

const calibrated = (): Calibration => {
  const c = defaultCalibration();
  return {
    ...c,
    calibrated: true,
    demands: {
      ...c.demands,
      'rest.conversations': { meanMs: 0.5, scv: 1, source: 'measured' },
      'rest.messages': { meanMs: 1, scv: 1, source: 'measured' },
      'rest.push': { meanMs: 0.2, scv: 1, source: 'measured' },
      'api.message': { meanMs: 0.3, scv: 1, source: 'measured' },
    },
    notes: [],
  };
};

// Micro without pricing: 1 GB × 0.25 = 268,435,456 bytes of buffers (32,768 pages), × 0.5 of RAM for
// the OS page cache (65,536 pages).
const MICRO_BUFFERS = 268_435_456;
const DEFAULT_SETTINGS = dataSizeSettingsOf(defaultAssumptions());

// The seed: 100 messages (2 a conversation) in memory. tiny's pages (page-reads.test.ts): a syncing user
// (one in ten users) reads 5 × 20 / 2 = 50 heap pages of messages and 5 / 4.667 = 1.0714 of
// conversations a sync at the default 2 rows a page; the index holds 5 × (32 + 15 × 20) = 1,660 bytes a
// user (0.2026 pages), of which the syncing users' conversations (f = 0.1, 24.67 a page) reference
// 1 − e^(−2.467) = 0.9152. Per registered user: 0.1 × 51.0714 + 0.2026 × 0.9152 = 5.2926 pages.
const seedInput = (missMsPerPage: number): DataSizeInput => ({
  fit: { baseMs: 1, missMsPerPage, points: 2 },
  fitRuns: ['a', 'b'],
  seeded: {
    messages: 100,
    messagesPerConversation: 2,
    hitRatio: 1,
    bytes: 100_000,
    memoryBytes: 1e12,
    run: 'seed',
  },
});

describe('the data size of the users a prediction is for', () => {
  it('gives a compute size (or Micro without pricing) its RAM × the shared_buffers share, and its IOPS', () => {
    expect(DEFAULT_DATABASE_RAM_GB).toBe(1);
    expect(databaseMemoryOf(null, DEFAULT_SETTINGS).bytes).toBe(MICRO_BUFFERS);
    expect(databaseMemoryOf(null, DEFAULT_SETTINGS).cacheBytes).toBeCloseTo(0.5 * 2 ** 30, 6);
    expect(databaseMemoryOf(null, DEFAULT_SETTINGS).iops).toBeNull();
    // fixtures/pricing/supabase.yaml: Micro sustains 500 IOPS and bursts to 11,800.
    const micro = loadPricing().supabase.compute.find((c) => c.name === 'micro')!;
    expect(databaseMemoryOf(micro, DEFAULT_SETTINGS).iops).toMatchObject({ baseline: 500, max: 11_800 });
  });

  it('carries to N users at every N, the context keeping the profile file users for itself', () => {
    // The profile's 10 users: 1 syncing user's 51 pages fit: only the rows count, 1 + 0.005 × 18 = 1.09 ms.
    const input = seedInput(0.1);
    const m = modelFor(
      { profile: tiny, policies: [full], users: [9_500], calibration: calibrated(), dataSize: input },
      full,
    );
    expect(m.ctx.calibration.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    // 9,500 users: 50,279.7 pages in play on 32,768 of shared_buffers: a messages statement misses its
    // 10 heap pages (the loop outgrows what shared_buffers keeps for it) and 2 × 0.022474 index pages
    // (bisection apart from this code), 10.044947. The page cache's 65,536 pages see 48,517.9 heap pages
    // every 30 s (1,617.26 a second) and 1,761.81 index pages at 0.197714 × 0.022474 = 0.0044434 a
    // second each (7.83), and 0.25 pages more for each (406.27 a second): at T = 30 s those fill 48,517.9
    // + 219.9 + 12,188 = 60,926 pages, so the loop stays; T solves 48,517.9 + 1,761.81 (1 −
    // e^(−0.0044434 T)) + 406.27 T = 65,536 at T = 41.164 s and the index misses e^(−0.18291) =
    // 0.832845. From the disk 2 × 0.022474 × 0.832845 = 0.037435 pages, from the page cache 10.007512:
    // 1.09 + 0.1 × 10.007512 + 0.037435 × 1 ms = 2.128186 ms.
    const at = contextAtUsers(m.ctx, 9_500);
    expect(at.calibration.demands['rest.messages']!.meanMs).toBeCloseTo(2.128186, 4);
    expect(at.calibration.demands['rest.messages']!.ioMs).toBeCloseTo(0.037435, 4);
    // The search's figures alone are the same figures.
    expect(contextAtUsers(m.ctx, 9_500, 'rule').calibration.demands['rest.messages']!.meanMs).toBeCloseTo(
      2.128186,
      4,
    );
    // What a prediction at 9,500 users says it ran on, through predictAnalytic and simulate alike.
    const note =
      /^data size: 9,500 users of tiny hold 950,000 messages \(9,500 × 5 conversations × 20, the reference\)/;
    expect(predictAnalytic(m.profile, m.policy, 9_500, m.ctx).assumptions.some((a) => note.test(a))).toBe(
      true,
    );
    const sim = simulate({
      profile: tiny,
      policies: [full],
      users: [10, 9_500],
      calibration: calibrated(),
      dataSize: input,
    });
    expect(
      sim.predictions[0]!.assumptions.some((a) => a.startsWith('data size: 10 users of tiny hold 1,000')),
    ).toBe(true);
    expect(sim.predictions[1]!.assumptions.some((a) => note.test(a))).toBe(true);
  });

  it('puts the knee where N users’ working set outgrows the buffers when a page read costs that much', () => {
    // A page read costs 10⁶ ms, so any miss fails the rule: 32,768 / 5.2926 = 6,191.3 users fit. The
    // bisection stops within 0.5% below: ⌊lo⌋ with 6,191.3 / 1.005 = 6,160.5 ≤ lo ≤ 6,191.3.
    const base = { profile: tiny, policies: [full], users: [10], calibration: calibrated() };
    const m = modelFor({ ...base, dataSize: seedInput(1e6) }, full);
    const knee = findKnee(m.profile, m.policy, m.ctx).users!;
    expect(knee).toBeGreaterThanOrEqual(6160);
    expect(knee).toBeLessThanOrEqual(6191);
    // Carried at the profile file's 10 users instead (all in memory), the knee is the load's, higher.
    const { dataSize: _carry, ...asBefore } = m.ctx;
    expect(findKnee(m.profile, m.policy, asBefore).users!).toBeGreaterThan(6191);
  });

  it('tries each compute size of the cheapest-configuration search on its own RAM', () => {
    const pricing = loadPricing();
    const size = (name: string) => pricing.supabase.compute.find((c) => c.name === name)!;
    // fixtures/pricing/supabase.yaml: Micro 1 GB, Small 2 GB (2 cores, 20% sustained).
    const micro = size('micro');
    const small = size('small');
    // 9,500 users who send no messages: 50,279.7 pages in play miss Micro's 32,768 pages of buffers
    // (10.044947 a messages statement, 10.007512 of them from the page cache and 0.037435 from the disk,
    // as above) and fit Small's 65,536. At 1,000 ms a page read from the page cache the messages
    // statement takes 1.09 + 10,007.512 + 0.037 = 10,008.64 ms on Micro: over the p95 target. On Small,
    // 1.09 ms.
    const quiet = { ...tiny, messagesPerUserPerMinute: 0 };
    const base = {
      profile: quiet,
      policies: [full],
      users: [9_500],
      calibration: calibrated(),
      pricing,
      dataSize: seedInput(1000),
    };
    const m = modelFor(base, full);
    expect(m.ctx.dataSize!.memory.bytes).toBe(micro.ramGb * 2 ** 30 * 0.25);
    const onSmall = contextOnCompute(m.ctx, small);
    expect(onSmall.cores).toBeCloseTo(2 * 0.2, 12);
    expect(onSmall.dataSize!.memory.bytes).toBe(536_870_912);
    expect(onSmall.dataSize!.memory.iops?.baseline).toBe(1000);
    expect(contextAtUsers(onSmall, 9_500).calibration.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    expect(contextAtUsers(m.ctx, 9_500).calibration.demands['rest.messages']!.meanMs).toBeCloseTo(
      10008.64,
      1,
    );
    // The policy's own Micro fails; the search finds Small, the cheapest size whose RAM holds the data.
    const p = simulate(base).predictions[0]!;
    expect(p.cost!.meetsTargets).toBe(false);
    expect(p.cheapest?.compute).toBe('small');
    // Without a data-size carry the context on a size keeps no memory.
    const { dataSize: _carry, ...noCarry } = m.ctx;
    expect(contextOnCompute(noCarry, small).dataSize).toBeUndefined();
  });
});
