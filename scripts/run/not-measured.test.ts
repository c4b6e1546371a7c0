import { describe, expect, it } from 'vitest';
import type { SeriesSample } from '../../core/run-record.ts';
import { notMeasuredOf } from './not-measured.ts';

const second = (t: number, server: boolean): SeriesSample => ({
  t,
  requests: 1,
  endpoints: {},
  pool: server ? { total: 10, inUse: 1, idle: 9, waiting: 0 } : null,
  dbConnections: server ? { active: 1 } : null,
  upstream: server ? { inUse: 0, queued: 0 } : null,
  rateLimited: server ? 0 : null,
});

describe('notMeasuredOf', () => {
  it('names everything a deployment without /metrics and without a visible database hides', () => {
    expect(
      notMeasuredOf({
        series: [second(0, false), second(1, false)],
        queryKinds: {},
        statementTotals: false,
        database: false,
        syncs: true,
        cpu: null,
      }),
    ).toEqual([
      'pool',
      'upstream',
      'rateLimited',
      'queryKinds',
      'queriesPerSync',
      'dbConnections',
      'database',
    ]);
  });

  it('names nothing when a single second had the server-side figures and the counters were read', () => {
    expect(
      notMeasuredOf({
        series: [second(0, false), second(1, true)],
        queryKinds: { 'select.conversations': 3 },
        statementTotals: true,
        database: true,
        syncs: true,
        cpu: null,
      }),
    ).toEqual([]);
  });

  it('queries per sync stay measured from pg_stat_statements when the target exports no counters', () => {
    const names = notMeasuredOf({
      series: [second(0, true)],
      queryKinds: {},
      statementTotals: true,
      database: true,
      syncs: true,
      cpu: null,
    });
    expect(names).toEqual(['queryKinds']);
  });
});
