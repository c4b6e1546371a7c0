import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import { tinyProfile } from '../test/support/tiny-profile.ts';
import type { Calibration } from './calibration.ts';
import { DEFAULT_DATABASE_RAM_GB } from './data-size-context.ts';
import {
  calibrationAtDataSize,
  type DataSizeInput,
  dataSizeCarry,
  dataSizeInputOf,
  pagesRead,
  rowsPerStatement,
} from './data-size-demand.ts';
import { defaultCalibration } from './defaults.ts';
import { databaseMemoryFor, modelFor } from './simulate.ts';

// Every expected figure below is worked by hand in the comment beside it.

// 10 users × 5 conversations × 2 messages seeded (100), 20 at the reference (1,000; 100 per user).
const tiny = tinyProfile;
const full = loadPolicy('current'); // full sync every 30 s

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
    baseLatency: { 'rest.messages': { medianMs: 3, p95Ms: 6, source: 'measured' } },
    notes: [],
  };
};

// Seed: 100 messages in 100,000 bytes (1,000 per message) on 1,000,000 bytes of buffers: all fit.
const input: DataSizeInput = {
  fit: { baseMs: 1, missMsPerPage: 0.1, points: 2 },
  fitRuns: ['ts-a', 'ts-b'],
  seeded: { messages: 100, bytes: 100_000, memoryBytes: 1_000_000, run: 'full-a' },
};

describe('demands at a profile data size', () => {
  it('counts the rows one statement returns, full and delta', () => {
    // Full sync: the conversation list (5 rows), then one statement per conversation (all its messages).
    expect(rowsPerStatement(tiny, full, 2)).toEqual({
      'rest.conversations': 5,
      'rest.messages': 2,
      'rest.push': 0,
      'api.message': 0,
    });
    expect(rowsPerStatement(tiny, full, 20)['rest.messages']).toBe(20);
    // Delta every 30 s, 50 conversations, 5% change: 2.5 changed (2.5 rows); the messages statement is
    // sent when any changed, 1 − 0.95^50 = 1 − 0.076945 = 0.923055, and returns 2 per changed
    // conversation: 5 / 0.923055 = 5.41680 rows, whatever the conversations hold.
    const scale = loadPolicy('scale');
    const delta = { ...scale, sync: { ...scale.sync, interval: { kind: 'fixed' as const, seconds: 30 } } };
    const fifty = { ...tiny, conversationsPerUser: { mean: 50, max: 100 } };
    const rows = rowsPerStatement(fifty, delta, 100);
    expect(rows['rest.conversations']).toBeCloseTo(2.5, 9);
    expect(rows['rest.messages']).toBeCloseTo(5.4168, 4);
    expect(rowsPerStatement(fifty, delta, 2)['rest.messages']).toBeCloseTo(5.4168, 4);
  });

  it('reads the pages that miss: B-tree depth plus a heap page per row, times the miss ratio', () => {
    // 1,000,000 bytes = 123 pages of 8 kB → depth 2; 20 rows → 22 pages; half of it in 500,000 → 11.
    expect(pagesRead(20, 1_000_000, 500_000)).toBe(11);
    expect(pagesRead(20, 1_000_000, 1_000_000)).toBe(0);
  });

  it('carries each demand to a reference size that misses half the memory (worked by hand)', () => {
    // Reference 10 × 5 × 20 = 1,000 messages → 1,000,000 bytes; 500,000 bytes of memory: miss ratio 0.5.
    const cal = calibrationAtDataSize(calibrated(), input, tiny, full, { bytes: 500_000, source: 'test' });
    // rest.messages: 1 + 0.005 × (20 − 2) + 0.1 × (22 × 0.5 − 0) = 1 + 0.09 + 1.1 = 2.19 ms.
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo(2.19, 12);
    // rest.conversations: 5 rows both sides; (2 + 5) × 0.5 = 3.5 pages: 0.5 + 0.35 = 0.85 ms.
    expect(cal.demands['rest.conversations']!.meanMs).toBeCloseTo(0.85, 12);
    // Writes return no rows: a descent of 2 pages × 0.5 = 1 page: 0.2 + 0.1 = 0.3 ms; 0.3 + 0.1 = 0.4.
    expect(cal.demands['rest.push']!.meanMs).toBeCloseTo(0.3, 12);
    expect(cal.demands['api.message']!.meanMs).toBeCloseTo(0.4, 12);
    expect(cal.demands.default).toEqual(calibrated().demands.default);
    // The base latency moves by the same 1.19 ms.
    expect(cal.baseLatency!['rest.messages']!.medianMs).toBeCloseTo(4.19, 12);
    expect(cal.baseLatency!['rest.messages']!.p95Ms).toBeCloseTo(7.19, 12);
    expect(cal.demands['rest.messages']!.source).toMatch(/at the data size of 10 users: 1 ms on the seed/);
    expect(cal.notes.at(-1)).toMatch(
      /^data size: 10 users of tiny hold 1,000 messages \(10 × 5 conversations × 20/,
    );

    // A negative slope set to 0 is said so: only the rows count, 1 + 0.09 = 1.09 ms.
    const clamped = { ...input, fit: { baseMs: 1, missMsPerPage: 0, points: 2, clamped: true } };
    const c = calibrationAtDataSize(calibrated(), clamped, tiny, full, { bytes: 500_000, source: 'test' });
    expect(c.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    expect(c.notes.at(-1)).toMatch(/fitted slope was negative, set to 0/);
  });

  it('carries to the data of the users asked for, not the profile file users', () => {
    // 40 users × 5 × 20 = 4,000 messages → 4,000,000 bytes on 500,000: miss ratio 1 − 1/8 = 0.875;
    // 4,000,000 / 8,192 = 488.3 → 489 pages, depth 1 + ⌈log₂₅₆ 489 = 1.12⌉ = 3.
    const carry = dataSizeCarry(calibrated(), input, tiny, full);
    const memory = { bytes: 500_000, source: 'test' };
    const at40 = carry.at(40, memory);
    // rest.messages: (3 + 20) × 0.875 = 20.125 pages: 1 + 0.09 + 2.0125 = 3.1025 ms.
    expect(at40.demands['rest.messages']!.meanMs).toBeCloseTo(3.1025, 12);
    // rest.conversations: (3 + 5) × 0.875 = 7 pages: 0.5 + 0.7 = 1.2 ms.
    expect(at40.demands['rest.conversations']!.meanMs).toBeCloseTo(1.2, 12);
    // Writes: a descent of 3 × 0.875 = 2.625 pages: 0.2 + 0.2625, 0.3 + 0.2625.
    expect(at40.demands['rest.push']!.meanMs).toBeCloseTo(0.4625, 12);
    expect(at40.demands['api.message']!.meanMs).toBeCloseTo(0.5625, 12);
    expect(at40.notes.at(-1)).toMatch(
      /^data size: 40 users of tiny hold 4,000 messages \(40 × 5 conversations × 20/,
    );
    expect(at40.demands['rest.messages']!.source).toMatch(/at the data size of 40 users: /);
    // 5 users: 500 messages, 500,000 bytes: they fit, only the rows count: 1 + 0.09 = 1.09 ms.
    expect(carry.at(5, memory).demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    expect(carry.at(5, memory).demands['rest.conversations']!.meanMs).toBe(0.5);
    // The same users on more memory: 4,000,000 bytes on 4,000,000 fit.
    expect(carry.at(40, { bytes: 4_000_000, source: 't' }).demands['rest.messages']!.meanMs).toBeCloseTo(
      1.09,
      12,
    );
    // Asked again, the carry gives the same calibration (kept, not worked out again).
    expect(carry.at(40, memory)).toBe(at40);
    // calibrationAtDataSize is the carry at the users given (default: the profile's).
    expect(
      calibrationAtDataSize(calibrated(), input, tiny, full, memory, 40).demands['rest.messages']!.meanMs,
    ).toBeCloseTo(3.1025, 12);
  });

  it('takes away the misses the seed already paid on its own buffers', () => {
    // Seed 100,000 bytes on 50,000 of buffers: 0.5 miss; 13 pages, depth 1 + ⌈log₂₅₆ 13⌉ = 2, 2 rows →
    // 4 × 0.5 = 2 pages; reference as above 11 pages: 1 + 0.09 + 0.1 × (11 − 2) = 1.99 ms.
    const seededTight = { ...input, seeded: { ...input.seeded!, memoryBytes: 50_000 } };
    const cal = calibrationAtDataSize(calibrated(), seededTight, tiny, full, { bytes: 500_000, source: 't' });
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo(1.99, 12);
  });

  it('says so when it cannot carry, and leaves the demands as measured', () => {
    const none = calibrationAtDataSize(calibrated(), { ...input, fit: null, fitRuns: [] }, tiny, full, {
      bytes: 1,
      source: 't',
    });
    expect(none.demands).toEqual(calibrated().demands);
    expect(none.notes).toEqual([
      'data size not calibrated: demands as measured on the seed (no plain table-size runs at two or more sizes to fit the cost of a page read); 10 users of tiny hold 1,000 messages (10 × 5 conversations × 20, the reference)',
    ]);
    const noSeed = calibrationAtDataSize(calibrated(), { ...input, seeded: null }, tiny, full, {
      bytes: 1,
      source: 't',
    });
    expect(noSeed.notes[0]).toMatch(/^data size not calibrated: .*no calibration run measured/);
  });

  it('takes the largest seeded dataset of the calibration runs and fits plain table-size points only', () => {
    const run = (users: number, sizeBytes: number) =>
      syntheticRunRecord({
        id: `r${users}`,
        scenario: 'full-sync',
        users,
        endpoints: {},
        profile: tiny as never,
        database: {
          blocksHit: 1,
          blocksRead: 0,
          hitRatio: 1,
          checkpoints: 0,
          autovacuums: 0,
          sizeBytes,
          sharedBuffersBytes: 128,
        },
      });
    const point = (run: string, schema: 'plain' | 'partitioned', reads: number, ms: number) => ({
      run,
      schema,
      messages: 1,
      dbTimeMsPerSync: ms,
      readsPerSync: reads,
      touchesPerSync: 10,
      sizeBytes: 1,
      sharedBuffersBytes: 1,
      messagesP95Ms: null,
      messageReadMs: null,
    });
    const got = dataSizeInputOf(
      [
        { name: 'a', record: run(10, 1000) },
        { name: 'b', record: run(20, 3000) },
      ],
      [point('p1', 'plain', 0, 2), point('p2', 'plain', 10, 3), point('q', 'partitioned', 5, 99)],
    );
    // 20 users × 5 × 2 = 200 messages (run b) beats 100 (run a).
    expect(got.seeded).toEqual({ messages: 200, bytes: 3000, memoryBytes: 128, run: 'b' });
    // (0, 2) and (10, 3): 0.1 ms per page read, base 2 ms; the partitioned point left out.
    expect(got.fit?.missMsPerPage).toBeCloseTo(0.1, 12);
    expect(got.fitRuns).toEqual(['p1', 'p2']);
  });

  it('is applied to deployments by modelFor, on the compute size memory, never to the rig', () => {
    const base = { profile: tiny, policies: [full], users: [10], calibration: calibrated() };
    // No pricing: Micro's 1 GB × 0.25 = 268,435,456 bytes: the 1,000,000-byte reference fits, so only
    // the rows count: 1 + 0.005 × 18 = 1.09 ms.
    expect(databaseMemoryFor(base, full).bytes).toBe(DEFAULT_DATABASE_RAM_GB * 2 ** 30 * 0.25);
    const m = modelFor({ ...base, dataSize: input }, full);
    expect(m.ctx.calibration.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    const rig = modelFor({ ...base, dataSize: input, rig: { cores: 2 } }, full);
    expect(rig.ctx.calibration.demands['rest.messages']!.meanMs).toBe(1);
    expect(modelFor(base, full).ctx.calibration.demands['rest.messages']!.meanMs).toBe(1);
  });
});
