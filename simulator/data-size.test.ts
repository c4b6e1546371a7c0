import { describe, expect, it } from 'vitest';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import {
  btreeDepth,
  bytesAt,
  type DataSizePoint,
  dataSizePoint,
  demandMs,
  fitDataSize,
  missRatio,
  pagesTouched,
  profileMessages,
  syncDemandAt,
} from './data-size.ts';

// Every expected figure below is worked by hand in the comment beside it.

const point = (over: Partial<DataSizePoint>): DataSizePoint => ({
  run: 'r',
  schema: 'plain',
  messages: 1000,
  dbTimeMsPerSync: 2,
  readsPerSync: 0,
  touchesPerSync: 100,
  sizeBytes: 1000,
  sharedBuffersBytes: 1000,
  messagesP95Ms: null,
  messageReadMs: null,
  ...over,
});

describe('data-size model', () => {
  it('misses nothing while table and index fit memory, then the share that does not fit', () => {
    expect(missRatio(600, 200, 800)).toBe(0);
    expect(missRatio(600, 200, 10_000)).toBe(0);
    // 800 bytes, 400 cached: half the touches miss.
    expect(missRatio(600, 200, 400)).toBe(0.5);
    // 4000 bytes, 1000 cached: 1 - 1/4.
    expect(missRatio(4000, 0, 1000)).toBe(0.75);
  });

  it('descends a B-tree one level per 256-fold growth of its pages', () => {
    expect(btreeDepth(0)).toBe(1); // one page: the root is the leaf
    expect(btreeDepth(8192)).toBe(1);
    expect(btreeDepth(8192 * 256)).toBe(2); // 256 leaves under one root
    expect(btreeDepth(8192 * 257)).toBe(3); // 257 leaves need two internal pages
    // 10 rows on an index of 256 pages: 2 index pages + 10 heap pages.
    expect(pagesTouched(10, 8192 * 256)).toBe(12);
  });

  it('adds the miss cost of the pages a statement touches', () => {
    // 1 ms base; 10 rows on a one-page index → 11 pages; half miss → 5.5 reads × 0.1 ms = 0.55 ms.
    expect(demandMs(1, 0.1, 10, 600, 200, 400)).toBeCloseTo(1.55, 12);
    expect(demandMs(1, 0.1, 10, 600, 200, 800)).toBe(1);
  });

  it('fits base and miss cost through two sizes, and refuses one size or equal reads', () => {
    // (0 reads, 2 ms) and (10 reads, 3 ms): slope 0.1 ms/page, intercept 2 ms.
    const fit = fitDataSize([point({ readsPerSync: 0 }), point({ readsPerSync: 10, dbTimeMsPerSync: 3 })]);
    expect(fit?.baseMs).toBeCloseTo(2, 12);
    expect(fit?.missMsPerPage).toBeCloseTo(0.1, 12);
    expect(fit?.points).toBe(2);
    expect(fit?.clamped).toBeUndefined();
    // (0 reads, 3 ms) and (10 reads, 2 ms): slope −0.1, set to 0 and marked.
    const down = fitDataSize([point({ dbTimeMsPerSync: 3 }), point({ readsPerSync: 10 })]);
    expect(down?.missMsPerPage).toBe(0);
    expect(down?.clamped).toBe(true);
    expect(fitDataSize([point({})])).toBeNull();
    expect(fitDataSize([point({}), point({ dbTimeMsPerSync: 5 })])).toBeNull();
  });

  it('predicts a sync at a larger dataset from the touches measured at a smaller one', () => {
    const p = point({ messages: 1000, sizeBytes: 1000, touchesPerSync: 100 });
    // 4,000 messages → 4,000 bytes; 1,000 of buffers → 0.75 miss; 75 reads × 0.1 + 2 = 9.5 ms.
    expect(bytesAt(p, 4000)).toBe(4000);
    expect(syncDemandAt({ baseMs: 2, missMsPerPage: 0.1, points: 2 }, p, 4000, 1000)).toBeCloseTo(9.5, 12);
  });

  it('reads a point from a table-size run record, and says why another record has none', () => {
    const profile = {
      name: 'x',
      users: 1000,
      conversationsPerUser: { mean: 50, max: 200 },
      messagesPerConversation: { mean: 4, max: 40, reference: 100 },
    };
    // 1,000 × 50 × 4 = 200,000 seeded; × 100 = 5,000,000 at the analysis's reference.
    expect(profileMessages(profile)).toBe(200_000);
    expect(profileMessages(profile, 'reference')).toBe(5_000_000);
    const record = syntheticRunRecord({
      id: 'a',
      scenario: 'table-size',
      users: 1000,
      endpoints: {},
      profile,
      target: { kind: 'local', url: 'http://127.0.0.1', schema: 'partitioned' },
      iterations: { completed: 200, dropped: 0, rate: 5, targetRate: 5 },
      sync: { mode: 'delta', queriesPerSync: 3, dbTimeMsPerSync: 1.5, requestsPerSync: 1 },
      database: {
        blocksHit: 900,
        blocksRead: 100,
        hitRatio: 0.9,
        checkpoints: 0,
        autovacuums: 0,
        sizeBytes: 5e8,
        sharedBuffersBytes: 1.28e8,
      },
    });
    // 100 reads / 200 syncs = 0.5; 1,000 touches / 200 = 5.
    expect(dataSizePoint(record, 'a')).toEqual({
      run: 'a',
      schema: 'partitioned',
      messages: 200_000,
      dbTimeMsPerSync: 1.5,
      readsPerSync: 0.5,
      touchesPerSync: 5,
      sizeBytes: 5e8,
      sharedBuffersBytes: 1.28e8,
      // No rest.messages endpoint and no statement counts: neither measured.
      messagesP95Ms: null,
      messageReadMs: null,
    });
    expect(dataSizePoint({ ...record, scenario: 'full-sync' }, 'b')).toBe(
      'b: scenario full-sync, not table-size',
    );
    expect(dataSizePoint({ ...record, database: undefined }, 'c')).toMatch(/no database activity/);
    // Statements counted but none read messages (a delta window that held nothing new): no point.
    const noReads = {
      'select.conversations': { calls: 200, meanMs: 1.2 },
      'insert.messages': { calls: 8, meanMs: 5 },
    };
    expect(dataSizePoint({ ...record, queryKinds: noReads }, 'd')).toBe(
      'd: read no messages (no select.messages statement among its select.conversations, insert.messages)',
    );
    const reads = { ...noReads, 'select.messages': { calls: 200, meanMs: 0.4 } };
    expect(dataSizePoint({ ...record, queryKinds: reads }, 'e')).toMatchObject({
      run: 'e',
      messages: 200_000,
      messageReadMs: 0.4,
    });
    // The messages query's p95 is the client's, from the run's endpoint summary.
    const messages = {
      count: 200,
      errorRate: 0,
      statuses: { '200': 200 },
      mean: 3,
      p50: 2,
      p95: 6.5,
      p99: 9,
      max: 12,
    };
    expect(dataSizePoint({ ...record, endpoints: { 'rest.messages': messages } }, 'f')).toMatchObject({
      messagesP95Ms: 6.5,
    });
  });
});
