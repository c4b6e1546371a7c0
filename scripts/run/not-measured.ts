import type { RunCpu, SeriesSample } from '../../core/run-record.ts';

/** What the runner saw of the server side, for {@link notMeasuredOf}. */
export interface ServerVisibility {
  series: readonly SeriesSample[];
  /** Per-kind statement counters from the target's /metrics (empty when it exports none). */
  queryKinds: Record<string, unknown>;
  /** Whether pg_stat_statements totals were read (a database the runner can see). */
  statementTotals: boolean;
  /** Whether a database was sampled (pg_stat_activity, pg_stat_database). */
  database: boolean;
  /** Whether the run had sync iterations (queries per sync only means something then). */
  syncs: boolean;
  cpu: RunCpu | null;
}

/**
 * Names of the server-side figures a run could not measure (core/run-record.ts `notMeasured`): a
 * deployment may expose no /metrics, and the runner sees its database only when given one.
 */
export function notMeasuredOf(v: ServerVisibility): string[] {
  const never = (pick: (s: SeriesSample) => unknown): boolean => v.series.every((s) => pick(s) === null);
  const out: string[] = [];
  if (never((s) => s.pool)) out.push('pool');
  if (never((s) => s.upstream)) out.push('upstream');
  if (never((s) => s.rateLimited)) out.push('rateLimited');
  const kinds = Object.keys(v.queryKinds).length > 0;
  if (!kinds) out.push('queryKinds');
  if (v.syncs && !kinds && !v.statementTotals) out.push('queriesPerSync');
  if (never((s) => s.dbConnections)) out.push('dbConnections');
  if (!v.database) out.push('database');
  if (v.cpu && v.cpu.target === null) out.push('cpu.target');
  if (v.cpu && v.cpu.database === null) out.push('cpu.database');
  return out;
}
