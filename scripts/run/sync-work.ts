import type { RunRecord } from '../../core/run-record.ts';
import type { MergedK6 } from '../k6/aggregate.ts';
import { syncWorkFromCounters } from './record.ts';
import type { StatementTotals } from './statement-totals.ts';

const isSync = (scenario: string): boolean => scenario.startsWith('sync') || scenario === 'ramp';

/**
 * The run record's `sync`: statements, DB time and requests per sync iteration. From pg_stat_statements
 * when the run sent syncs only; else from the target's per-kind counters (sync kinds only); null (not
 * measured) when neither exists. Says which in `notes`.
 */
export function measuredSyncWork(
  syncMode: 'full' | 'delta' | null | undefined,
  merged: MergedK6,
  queryKinds: Record<string, { calls: number; meanMs: number }>,
  statements: { before: StatementTotals | null; after: StatementTotals | null },
  notes: string[],
  /** Whether the target exported its per-kind statement counters at all. */
  countersExposed = true,
): RunRecord['sync'] {
  const byScenario = Object.entries(merged.iterations.byScenario);
  const syncIterations = byScenario.filter(([name]) => isSync(name)).reduce((n, [, c]) => n + c, 0);
  if (!syncMode || syncIterations === 0) return null;
  const syncOnly = byScenario.every(([name]) => isSync(name));
  const { before, after } = statements;
  let queries: number | null;
  let dbTimeMs: number | null;
  if (before && after && syncOnly) {
    queries = after.calls - before.calls;
    dbTimeMs = after.ms - before.ms;
    notes.push('queries per sync from pg_stat_statements');
  } else if (!countersExposed) {
    // Neither pg_stat_statements nor the target's counters (a deployment without them): not measured, never 0.
    queries = null;
    dbTimeMs = null;
  } else {
    // Messages past the monthly check inserted one row each under insert.messages (402s did not).
    const messageInserts =
      (queryKinds['message.usage']?.calls ?? 0) - (merged.endpoints['api.message']?.statuses['402'] ?? 0);
    ({ queries, dbTimeMs } = syncWorkFromCounters(queryKinds, messageInserts));
    notes.push(
      `queries per sync from the target's atlas_db_queries_total (pg_stat_statements ${before ? 'not used: mixed traffic' : 'not available'})`,
    );
  }
  const syncRequests = ['rest.conversations', 'rest.messages', 'rest.push'].reduce(
    (n, name) => n + (merged.endpoints[name]?.count ?? 0),
    0,
  );
  return {
    mode: syncMode,
    queriesPerSync: queries === null ? null : queries / syncIterations,
    dbTimeMsPerSync: dbTimeMs === null ? null : dbTimeMs / syncIterations,
    requestsPerSync: syncRequests / syncIterations,
  };
}
