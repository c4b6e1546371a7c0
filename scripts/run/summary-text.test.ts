import { describe, expect, it } from 'vitest';
import { syntheticRunRecord } from '../../test/support/run-record-fixture.ts';
import { formatRunSummary } from './summary-text.ts';

const endpoints = {
  'rest.conversations': {
    count: 10,
    errorRate: 0,
    statuses: { '200': 10 },
    mean: 5,
    p50: 4,
    p95: 9,
    p99: 12,
    max: 13,
  },
};

describe('formatRunSummary', () => {
  it('says "not measured" for queries and DB time per sync a deployment did not expose, never 0.00', () => {
    const text = formatRunSummary(
      '/runs/x',
      syntheticRunRecord({
        id: 'x',
        scenario: 'delta-sync',
        users: 100,
        endpoints,
        target: { kind: 'remote', url: 'http://10.200.0.2:8080' },
        sync: { mode: 'delta', queriesPerSync: null, dbTimeMsPerSync: null, requestsPerSync: 3 },
        notMeasured: ['pool', 'queriesPerSync', 'dbConnections'],
      }),
    );
    expect(text).toContain(
      'sync (delta): queries not measured, DB time not measured, 3.00 requests per sync',
    );
    expect(text).toContain(
      'not measured (the target did not expose them): pool, queriesPerSync, dbConnections',
    );
    expect(text).not.toContain('0.00 queries');
  });

  it('prints measured figures as before and marks an interrupted run', () => {
    const text = formatRunSummary(
      '/runs/y',
      syntheticRunRecord({
        id: 'y',
        scenario: 'delta-sync',
        users: 100,
        endpoints,
        sync: { mode: 'delta', queriesPerSync: 2.5, dbTimeMsPerSync: 1.25, requestsPerSync: 3 },
        status: 'interrupted',
        exitStatus: 130,
      }),
    );
    expect(text).toContain('sync (delta): 2.50 queries, 1.25 ms DB, 3.00 requests per sync');
    expect(text).toContain('INTERRUPTED: the figures cover only the seconds that ran');
    expect(text).not.toContain('not measured');
  });
});
