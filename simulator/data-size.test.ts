import { describe, expect, it } from 'vitest';
import { syntheticDatabase, syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import { type DataSizePoint, dataSizePoint, fitDataSize, profileMessages } from './data-size.ts';

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
      database: syntheticDatabase({
        blocksHit: 900,
        blocksRead: 100,
        hitRatio: 0.9,
        sizeBytes: 5e8,
        sharedBuffersBytes: 1.28e8,
      }),
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
