import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { syntheticDatabase, syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import { tinyProfile } from '../test/support/tiny-profile.ts';
import { defaultAssumptions, withAssumption } from './assumptions.ts';
import type { Calibration } from './calibration.ts';
import { dbCpuMsOf } from './cpu.ts';
import { DEFAULT_DATABASE_RAM_GB } from './data-size-context.ts';
import {
  calibrationAtDataSize,
  type DataSizeInput,
  dataSizeCarry,
  dataSizeInputOf,
  rowsPerStatement,
} from './data-size-demand.ts';
import { dataSizeSettingsOf } from './data-size-settings.ts';
import { defaultCalibration } from './defaults.ts';
import { diskResources } from './disk-resource.ts';
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

// Seed: 10 users × 5 × 2 = 100 messages (2 a conversation), all in memory.
const input: DataSizeInput = {
  fit: { baseMs: 1, missMsPerPage: 0.1, points: 2 },
  fitRuns: ['ts-a', 'ts-b'],
  seeded: {
    messages: 100,
    messagesPerConversation: 2,
    hitRatio: 0.999,
    bytes: 100_000,
    memoryBytes: 1_000_000,
    run: 'full-a',
  },
};
// The data dials at their bases (1 ms a disk read, 0.25 pages of inflow), 2 rows a page from a test layout.
const layout = {
  ...dataSizeSettingsOf(defaultAssumptions()),
  rowsPerPage: { value: 2, source: 'test layout' },
};
const PAGE = 8192;
/** Memory of `buffers` pages of shared_buffers and `ram` pages of OS page cache. */
const memoryOf = (buffers: number, ram: number) => ({
  bytes: PAGE * buffers,
  cacheBytes: PAGE * ram,
  iops: { baseline: 2000, max: 3000, source: 'test disk' },
  source: 'test memory',
});

/** Pages of OS page cache far beyond any working set here: it keeps every page shared_buffers misses. */
const VAST = 1e18;

/** The calibration carried to 10,000 users of tiny under current on `memory`. */
const carried = (memory: ReturnType<typeof memoryOf>, from: DataSizeInput = input): Calibration =>
  calibrationAtDataSize(calibrated(), from, tiny, full, layout, memory, 10_000);

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

  // At 10,000 users 1,000 paid users sync every 30 s; their pages and the index pages are worked out
  // in page-reads.test.ts: on 30,000 pages a messages statement misses 10.075488 pages and a
  // conversations statement 1.109173 (every heap page of the loop and 0.037744 of the index); on 10,000
  // pages 10.718733 and 1.430795 (the same bisection).
  it('carries each demand to the reference, its misses read from the OS page cache (worked by hand)', () => {
    // shared_buffers 30,000 pages, a vast page cache: every miss of shared_buffers is in it.
    const cal = carried(memoryOf(30_000, VAST));
    // rest.messages: 1 + 0.005 × (20 − 2) + 0.1 × 10.075488 = 2.0975488 ms, none of it on the disk.
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo(2.0975488, 6);
    expect(cal.demands['rest.messages']!.ioMs).toBeUndefined();
    // rest.conversations: 5 rows both sides; 0.5 + 0.1 × 1.109173 = 0.6109173 ms.
    expect(cal.demands['rest.conversations']!.meanMs).toBeCloseTo(0.6109173, 6);
    // Writes return no rows and read no pages here.
    expect(cal.demands['rest.push']!.meanMs).toBe(0.2);
    expect(cal.demands['api.message']!.meanMs).toBe(0.3);
    expect(cal.demands.default).toEqual(calibrated().demands.default);
    expect(cal.disk!.readsPerSync).toBeCloseTo(0, 8);
    // The base latency moves by the same 1.0975488 ms.
    expect(cal.baseLatency!['rest.messages']!.medianMs).toBeCloseTo(4.0975488, 6);
    expect(cal.baseLatency!['rest.messages']!.p95Ms).toBeCloseTo(7.0975488, 6);
    expect(cal.demands['rest.messages']!.source).toMatch(
      /at the data size of 10,000 users: 1 ms on the seed/,
    );
    expect(cal.notes.at(-1)).toMatch(
      /^data size: 10,000 users of tiny hold 1,000,000 messages \(10,000 × 5 conversations × 20/,
    );
    expect(cal.notes.at(-1)).toMatch(/1,000 syncing users online/);
    expect(cal.notes.at(-1)).toMatch(/2 rows of a user's sync a heap page \(test layout\)/);
  });

  it("subtracts the seed's own reads from the OS page cache, which its demands hold already", () => {
    // The calibration runs' data read 3 pages a messages statement (rig-data-size.ts ownPageReadsOf):
    // 2.0975488 − 0.1 × 3 = 1.7975488 ms; conversations read none of their own and stay 0.6109173.
    const own = { perStatement: { 'rest.messages': 3 }, source: 'fit run x 3 pages a statement' };
    const cal = calibrationAtDataSize(
      { ...calibrated(), ownPageReads: own },
      input,
      tiny,
      full,
      layout,
      memoryOf(30_000, VAST),
      10_000,
    );
    expect(cal.demands['rest.messages']!.meanMs).toBeCloseTo(1.7975488, 6);
    expect(cal.demands['rest.conversations']!.meanMs).toBeCloseTo(0.6109173, 6);
    expect(cal.demands['rest.messages']!.source).toMatch(/0\.1 ms × \(10\.08 − 3 on the seed\) pages/);
    expect(cal.notes.at(-1)).toMatch(/its own reads subtracted: fit run x 3 pages a statement/);
  });

  it('puts the pages the page cache misses on the disk: their time is held, not CPU (worked by hand)', () => {
    // shared_buffers 10,000 pages and no page cache: every miss is a disk read. rest.messages: 10.718733
    // pages from the disk: 1 + 0.09 + 10.718733 × 1 ms = 11.808733 ms.
    const cal = carried(memoryOf(10_000, 0));
    const m = cal.demands['rest.messages']!;
    expect(m.meanMs).toBeCloseTo(11.808733, 5);
    expect(m.ioMs).toBeCloseTo(10.718733, 5);
    // Its CPU is the rest: 1.09 ms × the CPU share of database time.
    expect(dbCpuMsOf(cal, 'rest.messages')).toBeCloseTo(1.09 * cal.cpuShareOfDbTime, 5);
    // rest.conversations: 0.5 + 1.430795 = 1.930795 ms.
    expect(cal.demands['rest.conversations']!.meanMs).toBeCloseTo(1.930795, 5);
    expect(cal.disk!.readsPerStatement['rest.messages']).toBeCloseTo(10.718733, 5);
    // The disk: 166.67 messages and 33.33 conversations statements a second: 166.67 × 10.718733 +
    // 33.33 × 1.430795 = 1,834.15 reads a second on 2,000 IOPS, one server of 0.5 ms: 91.7 % busy.
    const [disk] = diskResources(
      cal,
      { 'rest.messages': 1000 / 6, 'rest.conversations': 1000 / 30 },
      memoryOf(10_000, 0),
    );
    expect(disk!.name).toBe('db.disk');
    expect(disk!.utilisation).toBeCloseTo(0.917074, 4);
    expect(disk!.saturated).toBe(false);
    // Writes count too: 10 messages a second (40 statements) write 2 commits each, 0.5 a statement, and
    // 33.33 pushes a second carry a change 0.05 of the time, × 1.06 writes a commit: 40 × 0.53 + 33.33 ×
    // 0.053 = 22.967 writes a second; (1,834.149 + 22.967) / 2,000 = 92.856 % busy.
    expect(cal.disk!.writesPerStatement).toEqual({ 'api.message': 0.53, 'rest.push': 0.05 * 1.06 });
    const [withWrites] = diskResources(
      cal,
      {
        'rest.messages': 1000 / 6,
        'rest.conversations': 1000 / 30,
        'api.message': 40,
        'rest.push': 1000 / 30,
      },
      memoryOf(10_000, 0),
    );
    expect(withWrites!.utilisation).toBeCloseTo(0.928558, 5);
    expect(withWrites!.serviceTimeSource).toMatch(/1,834\.1 page reads and 23 writes a second on the disk/);
    // With 30,000 pages of page cache (page-reads.test.ts): 10.278231 from the disk, 10.718733 −
    // 10.278231 = 0.440502 from the page cache: 1 + 0.09 + 0.0440502 + 10.278231 = 11.412281 ms.
    expect(carried(memoryOf(10_000, 30_000)).demands['rest.messages']!.meanMs).toBeCloseTo(11.412281, 4);
    // Without the disk's IOPS (or without a carry) there is no disk resource.
    expect(diskResources(cal, { 'rest.messages': 1 }, { ...memoryOf(1, 1), iops: null })).toEqual([]);
    expect(diskResources(calibrated(), { 'rest.messages': 1 }, memoryOf(1, 1))).toEqual([]);
  });

  it('carries to the data of the users asked for, kept once worked out', () => {
    const carry = dataSizeCarry(calibrated(), input, tiny, full, layout);
    const memory = memoryOf(30_000, VAST);
    const at = carry.at(10_000, memory);
    expect(carry.at(10_000, memory)).toBe(at);
    // 100 users: 10 syncing, 510.7 heap pages and at most 20 index pages fit: only the rows count, 1.09 ms.
    expect(carry.at(100, memory).demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    expect(carry.at(100, memory).demands['rest.conversations']!.meanMs).toBe(0.5);
    // A clamped fit reads its pages at 0 ms: only the rows count.
    const clamped = { ...input, fit: { baseMs: 1, missMsPerPage: 0, points: 2, clamped: true } };
    const c = carried(memory, clamped);
    expect(c.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 9);
    expect(c.notes.at(-1)).toMatch(/fitted slope was negative, set to 0/);
    // Without a table-size fit the OS page cache's read costs the rig's measured 0.036 ms of CPU, over
    // the CPU share of statement time (1 here): 1 + 0.09 + 0.036 × 10.075488 = 1.4527176 ms.
    const noFit = carried(memory, { ...input, fit: null, fitRuns: [] });
    expect(noFit.demands['rest.messages']!.meanMs).toBeCloseTo(1.4527176, 6);
    expect(noFit.notes.at(-1)).toMatch(/0\.036 ms of database CPU \(measured on the rig/);
    // At a CPU share of 0.4 a read is 0.09 ms of statement time, so 0.036 ms of CPU (dbCpuMsOf):
    // 1 + 0.09 + 0.09 × 10.075488 = 1.9967939 ms.
    const share = dataSizeCarry(
      { ...calibrated(), cpuShareOfDbTime: 0.4 },
      { ...input, fit: null, fitRuns: [] },
      tiny,
      full,
      layout,
    ).at(10_000, memory);
    expect(share.demands['rest.messages']!.meanMs).toBeCloseTo(1.9967939, 6);
    expect(share.notes.at(-1)).toMatch(/0\.09 ms of statement time per page read .* ÷ 0\.4 CPU share/);
  });

  it('says so when it cannot carry, and takes the profile mean when no run measured its seed', () => {
    const none = calibrationAtDataSize(defaultCalibration(), input, tiny, full, layout, memoryOf(1, 1), 10);
    expect(none.demands).toEqual(defaultCalibration().demands);
    expect(none.notes.at(-1)).toBe(
      'data size not calibrated: demands as measured on the seed (no calibration runs); 10 users of tiny hold 1,000 messages (10 × 5 conversations × 20, the reference)',
    );
    const noSeed = carried(memoryOf(30_000, VAST), { ...input, seeded: null });
    // tiny's own mean is 2 a conversation, as the seed's: the same 2.0975488 ms.
    expect(noSeed.demands['rest.messages']!.meanMs).toBeCloseTo(2.0975488, 6);
    expect(noSeed.notes.at(-1)).toMatch(/the seed: not measured/);
  });

  it('takes the largest seeded dataset of the calibration runs and fits plain table-size points only', () => {
    const run = (users: number, sizeBytes: number) =>
      syntheticRunRecord({
        id: `r${users}`,
        scenario: 'full-sync',
        users,
        endpoints: {},
        profile: tiny as never,
        database: syntheticDatabase({ sizeBytes, sharedBuffersBytes: 128 }),
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
    expect(got.seeded).toEqual({
      messages: 200,
      messagesPerConversation: 2,
      hitRatio: 1,
      bytes: 3000,
      memoryBytes: 128,
      run: 'b',
    });
    // (0, 2) and (10, 3): 0.1 ms per page read, base 2 ms; the partitioned point left out.
    expect(got.fit?.missMsPerPage).toBeCloseTo(0.1, 12);
    expect(got.fitRuns).toEqual(['p1', 'p2']);
  });

  it('is applied to deployments by modelFor, on the compute size memory, never to the rig', () => {
    const base = { profile: tiny, policies: [full], users: [10], calibration: calibrated() };
    // No pricing: Micro's 1 GB × 0.25 = 268,435,456 bytes of shared_buffers, × 0.5 of RAM for the OS page cache.
    const memory = databaseMemoryFor(base, full);
    expect(memory.bytes).toBe(DEFAULT_DATABASE_RAM_GB * 2 ** 30 * 0.25);
    expect(memory.cacheBytes).toBe(DEFAULT_DATABASE_RAM_GB * 2 ** 30 * 0.5);
    expect(memory.iops).toBeNull();
    // 10 users' reference fits: only the rows count, 1 + 0.005 × 18 = 1.09 ms.
    const m = modelFor({ ...base, dataSize: input }, full);
    expect(m.ctx.calibration.demands['rest.messages']!.meanMs).toBeCloseTo(1.09, 12);
    // The data dials turn it: --set sharedBuffersShare=0.125 pageCacheShare=0.25 gives Micro 134,217,728
    // and 268,435,456 bytes; --set diskReadMs=3 triples a disk read's time. At 10,000 users on 10,000
    // pages of buffers and none of page cache (above): 1.09 + 3 × 10.718733 = 33.246199 ms.
    let set = withAssumption(defaultAssumptions(), 'sharedBuffersShare', 0.125);
    set = withAssumption(set, 'pageCacheShare', 0.25);
    const smaller = databaseMemoryFor({ ...base, assumptions: set }, full);
    expect(smaller.bytes).toBe(134_217_728);
    expect(smaller.cacheBytes).toBe(268_435_456);
    expect(smaller.source).toMatch(
      /× 0.125 shared_buffers share \(assumption: .*; 0.125-0.4; set by --set\)/,
    );
    const slow = dataSizeSettingsOf(withAssumption(defaultAssumptions(), 'diskReadMs', 3));
    const slowDisk = calibrationAtDataSize(
      calibrated(),
      input,
      tiny,
      full,
      { ...slow, rowsPerPage: layout.rowsPerPage },
      memoryOf(10_000, 0),
      10_000,
    );
    expect(slowDisk.demands['rest.messages']!.meanMs).toBeCloseTo(33.246199, 5);
    expect(slowDisk.notes.at(-1)).toMatch(
      /3 ms per page read from the disk \(assumption: .*; set by --set\)/,
    );
    const rig = modelFor({ ...base, dataSize: input, rig: { cores: 2 } }, full);
    expect(rig.ctx.calibration.demands['rest.messages']!.meanMs).toBe(1);
    expect(modelFor(base, full).ctx.calibration.demands['rest.messages']!.meanMs).toBe(1);
  });
});
