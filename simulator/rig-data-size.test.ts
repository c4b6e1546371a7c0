import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { rigTestCalibration } from '../test/support/rig-calibration.ts';
import { syntheticDatabase, syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import { tinyProfile } from '../test/support/tiny-profile.ts';
import type { ModelContext } from './analytic.ts';
import { calibrate } from './calibrate.ts';
import type { Calibration } from './calibration.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import { NO_ABUSE } from './rate-limit.ts';
import {
  ownPageReadsOf,
  rigCalibrationAtData,
  rigPageReadsOf,
  rigReadsPerIteration,
} from './rig-data-size.ts';
import { predictRun } from './run-prediction.ts';

// Worked by hand. tiny: ci-smoke's shape (10 % paid, online share 1, 700-byte message rows, 300-byte
// conversation rows), 5 conversations a user, the seed's 2 messages a conversation. Full sync at 10,000
// users: 1,000 paid users, every one of them looping (online share 1), each synced every 30 s.
// The seeder's layout, 10 of a user's rows a page: a sync reads 10 messages on 1 page (0.2 a messages
// statement) and 5 conversations at min(8,192 / 300, 10 × 700 / 300) = 23.33 a page, 0.214286 pages:
// a loop of 1,214.3 pages. The index: 50,000 conversations × (32 + 15 × 2) bytes = 378.4 pages, all
// referenced (the looping users hold a tenth of 132 conversations a page), 2 × 166.7 + 33.3 = 366.7
// times a second. On 1,000 pages of shared_buffers the loop cannot stay (1,214 + 378 > 1,000): Che's T
// solves 1,214.3 × T / 30 + 378.4 × (1 − e^(−0.969 T)) = 1,000 at T ≈ 15.4 s, where the index misses
// e^(−14.9) ≈ 3·10⁻⁷ of its references and every heap page misses.
const full = loadPolicy('current');
const cal = (): Calibration => {
  const c = defaultCalibration();
  return {
    ...c,
    calibrated: true,
    cpuShareOfDbTime: 0.5,
    demands: {
      ...c.demands,
      'rest.conversations': { meanMs: 0.5, scv: 1, source: 'measured' },
      'rest.messages': { meanMs: 1, scv: 1, source: 'measured' },
      'rest.push': { meanMs: 0.2, scv: 1, source: 'measured' },
    },
    baseLatency: { 'rest.messages': { medianMs: 3, p95Ms: 6, source: 'measured' } },
  };
};
const run = { profile: tinyProfile, policy: full, users: 10_000 };

describe("a rig run's prediction at its own data", () => {
  it('adds the pages read from outside its shared_buffers, 0.036 ms of CPU each over the CPU share', () => {
    const c = rigCalibrationAtData(cal(), { ...run, sharedBuffersBytes: 8192 * 1000 });
    // A messages statement: 0.2 pages × 0.036 / 0.5 = 0.0144 ms more; a conversations statement
    // 0.214286 × 0.072 = 0.0154286 ms; push reads no page.
    expect(c.demands['rest.messages']!.meanMs).toBeCloseTo(1.0144, 6);
    expect(c.demands['rest.conversations']!.meanMs).toBeCloseTo(0.5154286, 6);
    expect(c.demands['rest.push']!.meanMs).toBe(0.2);
    // Its base latency moves by the same time; its database CPU by 0.036 ms a page.
    expect(c.baseLatency!['rest.messages']!.p95Ms).toBeCloseTo(6.0144, 6);
    expect(c.baseLatency!['rest.messages']!.medianMs).toBeCloseTo(3.0144, 6);
    expect(c.notes.at(-1)).toMatch(
      /10,000 seeded users' working set .* on 8 MB of shared_buffers, 1\.214 pages a sync/,
    );
  });

  it('leaves the calibration as it is when the working set fits, or nothing was calibrated', () => {
    const fits = cal();
    // 1,593 pages of loop and index on 2,000 pages of shared_buffers: nothing read.
    expect(rigCalibrationAtData(fits, { ...run, sharedBuffersBytes: 8192 * 2000 })).toBe(fits);
    const none = defaultCalibration();
    expect(rigCalibrationAtData(none, { ...run, sharedBuffersBytes: 8192 })).toBe(none);
  });
});

describe("the calibration runs' own reads, in their demands already", () => {
  // The same 10,000 users: on 1,000 pages a messages statement reads 0.2 pages and a conversations
  // statement 0.214286 (above); on 2,000 pages none.
  const at = (id: string, pages: number, messages: number, conversations: number) => ({
    ...run,
    id,
    sharedBuffersBytes: 8192 * pages,
    calls: { 'rest.messages': messages, 'rest.conversations': conversations, 'rest.push': 50 },
  });

  it("are the model's reads at each run's data, weighted by its statements of each kind", () => {
    // 100 messages statements read 0.2 pages each and 300 read none: 20 / 400 = 0.05 a statement;
    // conversations: 100 × 0.214286 / (100 + 100) = 0.107143.
    const own = ownPageReadsOf([at('small', 1000, 100, 100), at('large', 2000, 300, 100)]);
    expect(own!.perStatement['rest.messages']).toBeCloseTo(0.05, 6);
    expect(own!.perStatement['rest.conversations']).toBeCloseTo(0.2142857 / 2, 6);
    expect(own!.perStatement['rest.push']).toBeUndefined();
    expect(own!.source).toMatch(/small 1\.214 a sync at 10,000 users/);
    // Every run's data fitted: nothing of its own.
    expect(ownPageReadsOf([at('large', 2000, 300, 100)])).toBeNull();
  });

  it("leave a run on the fit's own data as the fit measured it, and carry only the difference", () => {
    const own = ownPageReadsOf([at('small', 1000, 100, 100)])!;
    const fitted = { ...cal(), ownPageReads: own };
    // The same data as the fit: no page beyond the fit's.
    expect(rigCalibrationAtData(fitted, { ...run, sharedBuffersBytes: 8192 * 1000 })).toBe(fitted);
    // A run whose data fits loses the fit's reads: messages 1 − 0.2 × 0.072 = 0.9856 ms.
    const fits = rigCalibrationAtData(fitted, { ...run, sharedBuffersBytes: 8192 * 2000 });
    expect(fits.demands['rest.messages']!.meanMs).toBeCloseTo(0.9856, 6);
    expect(fits.demands['rest.conversations']!.meanMs).toBeCloseTo(0.5 - 0.2142857 * 0.072, 6);
    expect(fits.baseLatency!['rest.messages']!.p95Ms).toBeCloseTo(5.9856, 6);
    expect(fits.notes.at(-1)).toMatch(/rest\.messages −0\.014 ms \(0 pages − the fit's 0\.2\)/);
    // Half the fit's reads (the weighting above): messages gain (0.2 − 0.05) × 0.072 = 0.0108 ms.
    const half = { ...cal(), ownPageReads: { perStatement: { 'rest.messages': 0.05 }, source: 'by hand' } };
    const c = rigCalibrationAtData(half, { ...run, sharedBuffersBytes: 8192 * 1000 });
    expect(c.demands['rest.messages']!.meanMs).toBeCloseTo(1.0108, 6);
  });

  it("are found by calibrate from the runs' records: users, shared_buffers and statements", () => {
    const record = (id: string, pages: number, messageCalls: number) => ({
      record: syntheticRunRecord({
        id,
        scenario: 'full-sync',
        users: 10_000,
        profile: { ...tinyProfile },
        policy: { ...full },
        endpoints: {},
        queryKinds: {
          'select.messages': { calls: messageCalls, meanMs: 1 },
          'select.conversations': { calls: 100, meanMs: 0.5 },
        },
        database: syntheticDatabase({ sharedBuffersBytes: 8192 * pages }),
      }),
      series: [],
    });
    const c = calibrate([record('a', 1000, 100), record('b', 2000, 300)]);
    expect(c.ownPageReads!.perStatement['rest.messages']).toBeCloseTo(0.05, 6);
    expect(c.ownPageReads!.perStatement['rest.conversations']).toBeCloseTo(0.2142857 / 2, 6);
    expect(c.notes).toContain(c.ownPageReads!.source);
    expect(calibrate([record('b', 2000, 300)]).ownPageReads).toBeUndefined();
  });
});

describe('a run predicted on the rig at its shared_buffers (predictRun)', () => {
  // The shared rig calibration (test/support/rig-calibration.ts): 0.6 of statement time the database's
  // CPU, the database on one core; calibrated, so the run's data is carried.
  const rig = (): Calibration => ({ ...rigTestCalibration(), calibrated: true });
  const ctx = (sharedBuffersBytes?: number): ModelContext => ({
    calibration: rig(),
    targets: defaultTargets(),
    cores: 2,
    abuse: NO_ABUSE,
    placement: { kind: 'rig', cores: 2, dbCores: 1, ...(sharedBuffersBytes ? { sharedBuffersBytes } : {}) },
  });
  const profile = loadProfile('ci-smoke');
  const run = { scenario: 'full-sync', users: 9_000, profile, policy: full, durationSeconds: 60 };

  it("gives the database's cores 0.036 ms of CPU for every page a sync reads from outside them", () => {
    const without = predictRun(run, ctx());
    const small = predictRun(run, ctx(8 * 2 ** 20));
    const reads = rigPageReadsOf({
      profile: { ...profile, messagesPerUserPerMinute: 0 },
      policy: full,
      users: 9_000,
      sharedBuffersBytes: 8 * 2 ** 20,
    });
    // 9,000 users: 30 syncs a second, each reading its 20 pages of messages and 2.14 of conversations
    // (and index leaves) from outside 8 MB.
    expect(reads.perSync).toBeGreaterThan(22);
    const db = (p: ReturnType<typeof predictRun>) =>
      p.prediction.resources.find((r) => r.name === 'db.cpu')!.offeredLoad;
    expect(db(small) - db(without)).toBeCloseTo((30 * reads.perSync * 0.036) / 1000, 9);
    // Every iteration of full sync is a sync: its reads an iteration are a sync's.
    expect(small.pageReadsPerIteration).toBeCloseTo(reads.perSync, 9);
    expect(without.pageReadsPerIteration).toBeUndefined();
    // On 1.5 GB of shared_buffers the 9,000 users' working set fits: nothing read, nothing added.
    const large = predictRun(run, ctx(1.5 * 2 ** 30));
    expect(large.pageReadsPerIteration).toBe(0);
    expect(db(large)).toBeCloseTo(db(without), 12);
  });
});

describe('the reads of a run on the rig', () => {
  it("loops every seeded syncing user at the seeder's layout, per iteration of the run", () => {
    // tiny at 10,000 users, 2 messages a conversation, 10 rows a page: 5 × 2 / 10 = 1 heap page of
    // messages and 5 / min(27.3, 23.3) = 0.2143 of conversations a sync, 1,214 pages in all; the index
    // 50,000 × (32 + 30) = 3.1 MB = 378 pages, all referenced: it all fits 2,000 pages, nothing read.
    expect(rigReadsPerIteration(tinyProfile, full, 10_000, 8192 * 2000, { sync: 33.3 })).toBe(0);
    // On 100 pages the loop misses all its 1.2143 pages a sync; a run whose iterations are half syncs
    // reads half as many an iteration as one of syncs alone.
    const syncs = rigReadsPerIteration(tinyProfile, full, 10_000, 8192 * 100, { sync: 33.3 });
    expect(syncs).toBeGreaterThan(1.2143);
    const mixed = rigReadsPerIteration(tinyProfile, full, 10_000, 8192 * 100, {
      sync: 10,
      'api.message': 10,
    });
    expect(mixed).toBeCloseTo(syncs / 2, 9);
  });
});
