import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadPricing } from '../scripts/inputs/pricing.ts';
import { tinyProfile } from '../test/support/tiny-profile.ts';
import { predictAnalytic } from './analytic.ts';
import type { Calibration } from './calibration.ts';
import {
  contextAtUsers,
  contextOnCompute,
  DEFAULT_DATABASE_RAM_GB,
  databaseMemoryOf,
} from './data-size-context.ts';
import type { DataSizeInput } from './data-size-demand.ts';
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

// Micro without pricing: 1 GB × 0.25 = 268,435,456 bytes of buffers.
const MICRO_BUFFERS = 268_435_456;

describe('the data size of the users a prediction is for', () => {
  it('gives a compute size (or Micro without pricing) its RAM × the shared_buffers share', () => {
    expect(DEFAULT_DATABASE_RAM_GB).toBe(1);
    expect(databaseMemoryOf(null).bytes).toBe(MICRO_BUFFERS);
  });

  it('carries to N users at every N, the context keeping the profile file users for itself', () => {
    // The seed: 100 messages in 10,000,000 bytes (100,000 a message) on buffers it fits in. The profile's
    // 10 users hold 1,000 messages, 100,000,000 bytes: they fit Micro's buffers, only the rows count:
    // 1 + 0.005 × (20 − 2) = 1.09 ms.
    const input: DataSizeInput = {
      fit: { baseMs: 1, missMsPerPage: 0.1, points: 2 },
      fitRuns: ['a', 'b'],
      seeded: { messages: 100, bytes: 10_000_000, memoryBytes: 1e12, run: 'seed' },
    };
    const m = modelFor(
      { profile: tiny, policies: [full], users: [40], calibration: calibrated(), dataSize: input },
      full,
    );
    expect(m.ctx.calibration.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    // 40 users: 4,000 messages, 400,000,000 bytes; miss ratio 1 − 268,435,456 / 400,000,000 = 0.32891136;
    // 48,829 pages, depth 1 + ⌈log₂₅₆ 48,829 = 1.95⌉ = 3; (3 + 20) × 0.32891136 = 7.56496128 pages read:
    // 1.09 + 0.1 × 7.56496128 = 1.846496128 ms.
    const at40 = contextAtUsers(m.ctx, 40);
    expect(at40.calibration.demands['rest.messages']!.meanMs).toBeCloseTo(1.846496128, 12);
    // The search's figures alone are the same figures.
    expect(contextAtUsers(m.ctx, 40, 'rule').calibration.demands['rest.messages']!.meanMs).toBeCloseTo(
      1.846496128,
      12,
    );
    // What a prediction at 40 users says it ran on, through predictAnalytic and simulate alike.
    const note =
      /^data size: 40 users of tiny hold 4,000 messages \(40 × 5 conversations × 20, the reference\), 0\.4 GB/;
    expect(predictAnalytic(m.profile, m.policy, 40, m.ctx).assumptions.some((a) => note.test(a))).toBe(true);
    const sim = simulate({
      profile: tiny,
      policies: [full],
      users: [10, 40],
      calibration: calibrated(),
      dataSize: input,
    });
    expect(
      sim.predictions[0]!.assumptions.some((a) => a.startsWith('data size: 10 users of tiny hold 1,000')),
    ).toBe(true);
    expect(sim.predictions[1]!.assumptions.some((a) => note.test(a))).toBe(true);
  });

  it('puts the knee where N users’ data outgrows the buffers when a page read costs that much', () => {
    // 1,000 bytes a message (100 seeded in 100,000), 100 messages a user: 100,000 bytes a user. A page
    // read costs 10⁶ ms, so any miss fails the rule; Micro's 268,435,456 bytes hold 2,684.35 users' data.
    // The bisection stops within 0.5% below: the knee is ⌊lo⌋ with 2,684.35 / 1.005 = 2,671.0 ≤ lo ≤ 2,684.35.
    const input: DataSizeInput = {
      fit: { baseMs: 1, missMsPerPage: 1e6, points: 2 },
      fitRuns: ['a', 'b'],
      seeded: { messages: 100, bytes: 100_000, memoryBytes: 1e12, run: 'seed' },
    };
    const base = { profile: tiny, policies: [full], users: [10], calibration: calibrated() };
    const m = modelFor({ ...base, dataSize: input }, full);
    const knee = findKnee(m.profile, m.policy, m.ctx).users!;
    expect(knee).toBeGreaterThanOrEqual(2671);
    expect(knee).toBeLessThanOrEqual(2684);
    // Carried at the profile file's 10 users instead (1,000,000 bytes, all in memory), the knee would be
    // the load's, several times higher.
    const { dataSize: _carry, ...asBefore } = m.ctx;
    expect(findKnee(m.profile, m.policy, asBefore).users!).toBeGreaterThan(3 * 2684);
  });

  it('tries each compute size of the cheapest-configuration search on its own RAM', () => {
    const pricing = loadPricing();
    const size = (name: string) => pricing.supabase.compute.find((c) => c.name === name)!;
    // fixtures/pricing/supabase.yaml: Micro 1 GB, Small 2 GB (2 cores, 20% sustained).
    const micro = size('micro');
    const small = size('small');
    // 10 users: 1,000 messages; the seed's 300,000 bytes a message make 300,000,000 bytes. Micro's buffers
    // 1 × 2³⁰ × 0.25 = 268,435,456 miss 1 − 268,435,456 / 300,000,000 = 0.1052 of the pages; a page read
    // at 1,000 ms puts the messages statement at (3 + 20) × 0.1052 × 1,000 ≈ 2,420 ms: over the 500 ms
    // p95 target. Small's 536,870,912 hold it all: 1.09 ms.
    const input: DataSizeInput = {
      fit: { baseMs: 1, missMsPerPage: 1000, points: 2 },
      fitRuns: ['a', 'b'],
      seeded: { messages: 100, bytes: 30_000_000, memoryBytes: 1e12, run: 'seed' },
    };
    const base = {
      profile: tiny,
      policies: [full],
      users: [10],
      calibration: calibrated(),
      pricing,
      dataSize: input,
    };
    const m = modelFor(base, full);
    expect(m.ctx.dataSize!.memory.bytes).toBe(micro.ramGb * 2 ** 30 * 0.25);
    const onSmall = contextOnCompute(m.ctx, small);
    expect(onSmall.cores).toBeCloseTo(2 * 0.2, 12);
    expect(onSmall.dataSize!.memory.bytes).toBe(536_870_912);
    expect(contextAtUsers(onSmall, 10).calibration.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    // 300,000,000 / 8,192 → 36,622 pages, depth 3: 23 × (1 − 268,435,456 / 300,000,000) × 1,000 + 1.09.
    expect(contextAtUsers(m.ctx, 10).calibration.demands['rest.messages']!.meanMs).toBeCloseTo(
      23 * (1 - 268_435_456 / 300_000_000) * 1000 + 1.09,
      9,
    );
    // The policy's own Micro fails; the search finds Small, the cheapest size whose RAM holds the data
    // (on Micro's memory every size would miss as Micro does, and none would be found).
    const p = simulate(base).predictions[0]!;
    expect(p.cost!.meetsTargets).toBe(false);
    expect(p.cheapest?.compute).toBe('small');
    // Without a data-size carry the context on a size keeps no memory.
    const { dataSize: _carry, ...noCarry } = m.ctx;
    expect(contextOnCompute(noCarry, small).dataSize).toBeUndefined();
  });
});
